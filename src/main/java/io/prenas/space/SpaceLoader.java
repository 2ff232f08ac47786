package io.prenas.space;

import static io.prenas.space.ConfigTree.join;
import static io.prenas.space.ConfigTree.mapping;
import static io.prenas.space.ConfigTree.positiveInt;
import static io.prenas.space.ConfigTree.positiveIntList;
import static io.prenas.space.ConfigTree.positiveNumber;
import static io.prenas.space.ConfigTree.positiveNumberList;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a search space from YAML. The optional top-level {@code TYPE} key names the model family that reads the
 * rest; without it, the file is a ViT space in the reference's format, unchanged: the flat AutoFormer files
 * ({@code supernet-T.yaml}) and the layer-wise reduced files ({@code tiny.yaml}), extended by an optional
 * {@code MODEL} section (image and patch size, input channels, classes, relative-position range).
 *
 * <p>Everything is validated on load, because a bad space otherwise surfaces much later as a wrong tensor slice:
 * unknown or missing keys, empty or duplicated choices, non-numeric values, choices the supernet tensors cannot hold,
 * and layer-wise lists that do not cover their deepest depth. Every error is a {@link SpaceException} whose key is the
 * path of the value at fault.
 */
public final class SpaceLoader {

  /** The top-level key naming the model family of a space file ({@code vit} when absent). */
  public static final String TYPE = "TYPE";
  private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '([^']*)'");

  /** Space files are a few levels deep (the layer-wise format has four); deeper input is malformed, not a space. */
  static final int MAX_DEPTH = 16;
  /** Characters of a space file: the largest real one is a few kilobytes; HTTP bodies are capped at 1,000,000 bytes. */
  static final int MAX_CHARS = 2_000_000;

  // Duplicate mapping keys would otherwise silently keep the last value. Spaces also arrive over HTTP, so the
  // parser is bounded (nesting depth, document and scalar length) whatever the library defaults are. Jackson reads an
  // alias as its anchor's name and never expands it, so a billion-laughs document stays small; the loader options
  // cap aliases too, should a later version expand them.
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .loaderOptions(loaderOptions())
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_CHARS)
          .maxDocumentLength(MAX_CHARS)
          .build())
      .build())
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private SpaceLoader() {}

  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setAllowRecursiveKeys(false);
    o.setMaxAliasesForCollections(10);
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setCodePointLimit(MAX_CHARS);
    return o;
  }

  /** Loads a space file; the space is named after the file without its extension. */
  public static SearchSpace load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(nameOf(file), in, file.toString());
    }
  }

  /** Parses YAML text (for tests and for spaces sent over HTTP). */
  public static SearchSpace parse(String name, String yaml) {
    try {
      return parse(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen on an in-memory stream
    }
  }

  /**
   * Parses YAML from a stream. {@code source} names the input in error messages.
   *
   * @throws SpaceException for malformed YAML or an invalid space, with the source in the message
   */
  public static SearchSpace parse(String name, InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      throw new SpaceException(null, "malformed YAML in " + source + where(e.getLocation()) + ": " + problem(e), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SpaceException(null, "space file " + source + " is empty");
    }
    try {
      return fromTree(name, root);
    } catch (SpaceException e) {
      throw e.withContext("invalid search space " + source);
    }
  }

  /** The space name of a file: its name without the extension ({@code micro-a.yaml} gives {@code micro-a}). */
  public static String nameOf(Path file) {
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  /**
   * The space of a parsed tree: the {@value #TYPE} key (default {@value ModelFamilies#DEFAULT_TYPE}) picks the
   * registered {@link ModelFamily}, which reads the rest.
   */
  static SearchSpace fromTree(String name, JsonNode root) {
    ObjectNode top = ConfigTree.mapping(root, "");
    String type = ModelFamilies.DEFAULT_TYPE;
    if (top.has(TYPE)) {
      JsonNode node = top.get(TYPE);
      if (!node.isTextual()) {
        throw new SpaceException(TYPE, "must be a model family name (" + String.join(", ", ModelFamilies.types())
            + "), got " + ConfigTree.describe(node));
      }
      type = node.asText();
      top = top.deepCopy();
      top.remove(TYPE);
    }
    String requested = type;
    ModelFamily family = ModelFamilies.byType(type).orElseThrow(() -> new SpaceException(TYPE,
        "unknown model family '" + requested + "' (registered: " + String.join(", ", ModelFamilies.types()) + ")"));
    return family.readSpace(name, top);
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() <= 0) {
      return "";
    }
    return " at line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "");
  }

  /** The parser's complaint in one line, without Jackson's internals. */
  public static String problem(JsonProcessingException e) {
    String message = oneLine(e.getOriginalMessage());
    Matcher duplicate = DUPLICATE_KEY.matcher(message);
    if (duplicate.find()) {
      return "duplicate key '" + duplicate.group(1) + "'";
    }
    // Jackson's limits name the setting that enforces them ("from `StreamReadConstraints...`"): not for users.
    return message.replace(" in 'reader',", "").replaceAll(",? ?from `[^`]*`", "");
  }

  static String oneLine(String s) {
    return s == null ? "(no detail)" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
