package io.prenas.supernet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status} (Linux): the JVM heap and the engine's native
 * buffers together, which is what matters for a native-memory leak. Values in KiB, -1 where unavailable.
 */
final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Current resident set size ({@code VmRSS}). */
  static long residentKib() {
    return field("VmRSS:");
  }

  /** Peak resident set size so far ({@code VmHWM}). */
  static long peakResidentKib() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
