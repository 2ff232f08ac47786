package io.prenas.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys, as {@code <name>:<scope>:<sha256-hex>} entries separated by commas. Only hashes are kept:
 * a presented key is hashed and compared with every entry in constant time, so neither the configuration nor a
 * heap dump holds a usable key and the timing says nothing about how much of a key matched.
 */
public final class ApiKeys {

  /** What a key may do; {@link #WRITE} includes {@link #READ}. */
  public enum Scope {
    READ, WRITE;

    public boolean allows(Scope needed) {
      return this == WRITE || needed == READ;
    }

    /** The scope named {@code read} or {@code write} (any case, surrounding blanks ignored), if it is one. */
    public static Optional<Scope> fromConfigName(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "read" -> Optional.of(READ);
        case "write" -> Optional.of(WRITE);
        default -> Optional.empty();
      };
    }

    static Scope parse(String s, String entryName) {
      return fromConfigName(s).orElseThrow(() -> new IllegalArgumentException("prenas.security.api-keys: key '"
          + entryName + "' has scope '" + s + "'; expected read or write"));
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One configured key: its name (for logs and audit), scope and hash. */
  public record Entry(String name, Scope scope, byte[] sha256) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses the property value. Errors name the entry by its name or position, never by its hash, and a value
   * that looks like a raw key (no colons) is refused without being echoed.
   */
  public static ApiKeys parse(String config) {
    List<Entry> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (config == null || config.isBlank()) {
      return new ApiKeys(out);
    }
    int position = 0;
    for (String raw : config.split(",")) {
      position++;
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      String[] parts = item.split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("prenas.security.api-keys: entry " + position
            + " is not <name>:<scope>:<sha256-hex> (create one with 'prenas apikey create')");
      }
      String name = parts[0].strip();
      if (!validName(name)) {
        throw new IllegalArgumentException("prenas.security.api-keys: entry " + position
            + " needs a name of 1-64 letters, digits, '.', '_' or '-'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("prenas.security.api-keys: the name '" + name + "' is used twice");
      }
      Scope scope = Scope.parse(parts[1], name);
      String hex = parts[2].strip().toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("prenas.security.api-keys: key '" + name
            + "' needs the SHA-256 of the key as 64 hex digits (not the key itself; see 'prenas apikey hash')");
      }
      out.add(new Entry(name, scope, HexFormat.of().parseHex(hex)));
    }
    return new ApiKeys(out);
  }

  /** Keys given as entries (the key generated at startup). */
  public static ApiKeys of(Entry... entries) {
    return new ApiKeys(List.of(entries));
  }

  /** A key name: 1-64 letters, digits, '.', '_' or '-' (no ':' or ',', which separate entries). */
  public static boolean validName(String name) {
    return name != null && name.matches("[A-Za-z0-9._-]{1,64}");
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }

  /**
   * The key a request presents: its {@code X-API-Key} header, else the token of an {@code Authorization: Bearer}
   * header; empty when neither holds one.
   */
  public static Optional<String> presented(String xApiKey, String authorization) {
    if (xApiKey != null && !xApiKey.isBlank()) {
      return Optional.of(xApiKey.strip());
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && !authorization.substring(7).isBlank()) {
      return Optional.of(authorization.substring(7).strip());
    }
    return Optional.empty();
  }

  /** The entry whose hash matches the presented key; every entry is compared, whatever the outcome. */
  public Optional<Entry> match(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.sha256(), hash) && found == null) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /** A fresh random key: 32 bytes from a {@link SecureRandom}, base64url without padding, prefixed {@code pn_}. */
  public static String newKey() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "pn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The configuration entry for a key. */
  public static String entry(String name, Scope scope, String key) {
    return name + ":" + scope.configName() + ":" + sha256Hex(key);
  }

  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
