package io.prenas.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in the API's words. Its messages name Java types and settings
 * ({@code `java.lang.Integer`}, {@code bound as `io.prenas...`}, {@code from `StreamReadConstraints...`}); a client
 * needs what was wrong and where, not our class names.
 */
final class JsonErrors {

  private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(",? ?from `[^`]*`");
  private static final Pattern TYPE_IN_PARENS = Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)");
  private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '([^']*)'");
  private static final Pattern TYPE_TAIL = Pattern.compile(":[^:]*`[^`]*`.*$");

  private JsonErrors() {}

  /** The first line of the message, without Java names, with the line and column where the parser stopped. */
  static String describe(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = "unreadable";
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    Matcher duplicate = DUPLICATE_FIELD.matcher(m);
    if (duplicate.lookingAt()) {
      m = "duplicate field '" + duplicate.group(1) + "'"; // the rest names Jackson's node type and setting
    }
    m = CONSTRAINT_SOURCE.matcher(m).replaceAll("");
    m = TYPE_IN_PARENS.matcher(m).replaceAll("");
    m = TYPE_TAIL.matcher(m).replaceAll("").strip();
    if (m.contains("`") || m.isEmpty()) {
      m = "malformed JSON";
    }
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      m += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return m;
  }

  /** What a JSON value bound to this Java type must be. */
  static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class || type == BigInteger.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class
        || type == BigDecimal.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == UUID.class) {
      return "a UUID";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
