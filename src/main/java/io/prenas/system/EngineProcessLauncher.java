package io.prenas.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;

/**
 * How a job's engine process is started: the JVM of this worker ({@code java.home}) on this worker's classpath — the
 * executable jar itself when the worker runs from one ({@code java -jar prenas.jar}; its manifest names the
 * {@code Start-Class}), else the class path with {@code io.prenas.Main} — with its own heap, exit on heap
 * exhaustion, and, through {@code /bin/sh}'s {@code ulimit -v}, an address-space limit (RLIMIT_AS) of heap + native
 * memory + reserve, so that an allocation past it fails in the engine ({@code std::bad_alloc}, libtorch's "can't
 * allocate memory") instead of the kernel killing whatever process it picks.
 */
final class EngineProcessLauncher {

  /** Exit code of the wrapper when the shell refused the limit. */
  static final int EXIT_NO_LIMIT = 97;

  private static final Path SHELL = Path.of("/bin/sh");
  /** System properties a worker hands on to its engine processes (DJL's engine and cache, temporary files). */
  private static final List<String> PASSED_PROPERTY_PREFIXES = List.of("ai.djl.", "DJL_", "ENGINE_CACHE_DIR",
      "PYTORCH_", "java.io.tmpdir", "org.slf4j.simpleLogger", "prenas.mkl.");

  private final long heapBytes;
  private final long nativeBytes;
  private final long reserveBytes;
  private final long youngBytes;

  EngineProcessLauncher(long heapBytes, long nativeBytes, long reserveBytes, long youngBytes) {
    this.heapBytes = heapBytes;
    this.nativeBytes = nativeBytes;
    this.reserveBytes = reserveBytes;
    this.youngBytes = Math.min(youngBytes, heapBytes / 2);
  }

  /** The JVM's own default heap: a quarter of the machine's or container's memory. */
  static long defaultHeap() {
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return Math.max(256L << 20, total / 4);
  }

  long heapBytes() {
    return heapBytes;
  }

  /** The address-space limit of the engine process in bytes, or 0 when there is none. */
  long addressSpaceBytes() {
    return reserveBytes <= 0 || !Files.isExecutable(SHELL) ? 0 : heapBytes + nativeBytes + reserveBytes;
  }

  /** The limits in words, for a job's log and an out-of-memory failure's reason. */
  String limits() {
    String s = "heap " + mib(heapBytes) + " (prenas.worker.child.heap), native memory " + mib(nativeBytes)
        + " (prenas.worker.child.native-memory)";
    long as = addressSpaceBytes();
    return s + (as > 0 ? ", address space " + mib(as) + " (heap + native memory + "
        + "prenas.worker.child.address-space-reserve)" : ", no address-space limit");
  }

  /** The command line of an engine process for one request. */
  List<String> command(Path request, Path result) throws IOException {
    List<String> cmd = new ArrayList<>();
    long as = addressSpaceBytes();
    if (as > 0) {
      cmd.add(SHELL.toString());
      cmd.add("-c");
      cmd.add("ulimit -v \"$1\" || exit " + EXIT_NO_LIMIT + "; shift; exec \"$@\"");
      cmd.add("prenas-engine");
      cmd.add(String.valueOf(as / 1024));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + Math.max(1, heapBytes >> 20) + "m");
    if (youngBytes > 0) {
      cmd.add("-Xmn" + Math.max(1, youngBytes >> 20) + "m"); // see EngineProcessProperties.youngGeneration
    }
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    // Less address space reserved up front (1 GB and 240 MB by default), so the limit bounds what is used.
    cmd.add("-XX:CompressedClassSpaceSize=256m");
    cmd.add("-XX:ReservedCodeCacheSize=128m");
    cmd.add("-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"));
    System.getProperties().stringPropertyNames().stream().sorted()
        .filter(k -> !k.equals("ai.djl.offline") && PASSED_PROPERTY_PREFIXES.stream().anyMatch(k::startsWith))
        .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    String classPath = System.getProperty("java.class.path");
    if (isExecutableJar(classPath)) {
      cmd.add("-jar");
      cmd.add(classPath);
    } else {
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add("io.prenas.Main");
    }
    cmd.add(EngineProcess.COMMAND);
    cmd.add(request.toString());
    cmd.add(result.toString());
    return cmd;
  }

  /** Starts an engine process (stdin, stdout and stderr are pipes to this worker). */
  Process start(Path request, Path result) throws IOException {
    ProcessBuilder b = new ProcessBuilder(command(request, result));
    // glibc reserves 64 MB of address space per thread arena; a few arenas keep that within the reserve.
    b.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    return b.start();
  }

  /** A Spring Boot executable jar (the server's distribution): its classes are under BOOT-INF, not on -cp. */
  static boolean isExecutableJar(String classPath) {
    if (classPath == null || classPath.contains(java.io.File.pathSeparator)
        || !classPath.toLowerCase(Locale.ROOT).endsWith(".jar")) {
      return false;
    }
    try (JarFile jar = new JarFile(classPath)) {
      return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
