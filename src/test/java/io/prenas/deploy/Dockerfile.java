package io.prenas.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into stages of instructions: enough structure to check its invariants without a Docker engine
 * or a linter (line continuations joined, comments and parser directives dropped, ENV pairs split).
 */
record Dockerfile(List<Stage> stages) {

  /** One instruction: upper-case keyword and its raw arguments. */
  record Instruction(String keyword, String args) {}

  /** A build stage from its FROM line: base image, optional name, instructions after FROM. */
  record Stage(String image, String name, List<Instruction> instructions) {

    List<String> args(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** ENV of this stage, later values winning. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      args("ENV").forEach(a -> env.putAll(envPairs(a)));
      return env;
    }
  }

  private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");
  private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  static Dockerfile read(Path file) throws IOException {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder logical = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue; // comments (and parser directives) may sit inside a continued instruction too
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String text = logical.toString().strip();
      logical.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        Matcher m = FROM.matcher(instruction.args());
        if (!m.matches()) {
          throw new IllegalArgumentException("unreadable FROM: " + text);
        }
        current = new ArrayList<>();
        stages.add(new Stage(m.group(1), m.group(2), current));
      } else if (current == null) {
        if (!instruction.keyword().equals("ARG")) {
          throw new IllegalArgumentException("instruction before the first FROM: " + text);
        }
      } else {
        current.add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  /** {@code K=V K2="v w"} (the modern ENV form; the legacy {@code ENV K V} gives one pair). */
  static Map<String, String> envPairs(String args) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(args);
    int matched = 0;
    while (m.find()) {
      String value = m.group(2);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
      }
      pairs.put(m.group(1), value);
      matched++;
    }
    if (matched == 0) {
      String[] legacy = args.strip().split("\\s+", 2);
      pairs.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
    }
    return pairs;
  }
}
