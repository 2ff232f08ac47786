package io.prenas.supernet;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets Intel MKL inside libtorch pick its kernels by the CPU's features on every x86-64 vendor, not only on Intel's.
 *
 * <p>Why: libtorch's CPU build runs float32 matrix products through MKL, and MKL takes its AVX2/AVX-512 kernels only
 * when {@code mkl_serv_intel_cpu_true()} says the CPU is Intel's; on an AMD EPYC with AVX-512 it fell back to generic
 * kernels and our fp32 training step took 1.5-2.0x as long (docs/bench/train-step.md). MKL has no switch for this
 * any more ({@code MKL_DEBUG_CPU_TYPE} is gone, {@code MKL_ENABLE_INSTRUCTIONS} only lowers the level). The fix is the
 * usual one: a library defining that function to answer 1 ({@code src/main/native/mkl_cpu_dispatch.c}), loaded with
 * {@code RTLD_GLOBAL} before libtorch, so that the dynamic linker binds MKL's calls to it. MKL still chooses the code
 * path from the CPU's feature flags, so a CPU without AVX-512 gets the AVX2 kernels. Results differ from the generic
 * kernels only by float rounding (the parity fixtures hold with it: the tests run with it installed).
 *
 * <p>Installed by {@code Main} (server, command-line tool and engine processes) and by the test launcher, on Linux
 * x86-64 with a CPU that is not Intel's, unless {@code -Dprenas.mkl.cpu-dispatch=vendor} keeps MKL's own choice.
 * On Intel CPUs, GPUs and other systems it does nothing.
 */
public final class MklCpuDispatch {

  /** System property: {@code features} (default) or {@code vendor}. */
  public static final String PROPERTY = "prenas.mkl.cpu-dispatch";

  static final String RESOURCE = "/native/linux-x86_64/libprenas_mkl_cpu.so";

  private static final Logger log = LoggerFactory.getLogger(MklCpuDispatch.class);
  private static final int RTLD_NOW = 0x2;
  private static final int RTLD_GLOBAL = 0x100;

  /** Kept for the life of the JVM: unloading it would leave MKL calling into unmapped memory. */
  private static NativeLibrary shim;
  static final String FEATURES = "by CPU features on ";
  private static String state = "not installed";

  private MklCpuDispatch() {}

  /**
   * Loads the shim when it applies; call before the first engine use (once libtorch is loaded, MKL may already have
   * chosen). Never fails: anything that stops it is logged and leaves MKL as it is.
   */
  public static synchronized void install() {
    if (shim != null) {
      return;
    }
    String vendor = cpuVendor();
    String skip = skipReason(System.getProperty(PROPERTY), vendor, isLinuxX86());
    if (skip != null) {
      state = skip;
      return;
    }
    try {
      shim = load();
      state = FEATURES + vendor;
      log.debug("MKL dispatches by CPU features on this {} CPU", vendor);
    } catch (IOException | UnsatisfiedLinkError e) {
      state = "MKL's own vendor check (shim not loaded: " + e.getMessage() + ")";
      log.warn("MKL keeps its generic kernels on this {} CPU (fp32 matrix products slower): {}", vendor,
          e.getMessage());
    }
  }

  /** Why the shim does not apply (the state to report), or null when it does. */
  static String skipReason(String setting, String vendor, boolean linuxX86) {
    String s = setting == null ? "features" : setting.strip().toLowerCase(Locale.ROOT);
    if (s.equals("vendor")) {
      return "MKL's own vendor check (" + PROPERTY + "=vendor)";
    }
    if (!s.equals("features")) {
      log.warn("{} must be features or vendor, got '{}'; MKL keeps its own vendor check", PROPERTY, setting);
      return "MKL's own vendor check (" + PROPERTY + "=" + setting + " is neither features nor vendor)";
    }
    if (!linuxX86) {
      return "not needed (not Linux on x86-64)";
    }
    if (vendor == null || vendor.equals("GenuineIntel")) {
      return "not needed (" + (vendor == null ? "CPU vendor unknown" : vendor) + ")";
    }
    return null;
  }

  /** What {@link #install} did, for benchmark results and the {@code engine} command. */
  public static synchronized String state() {
    return state;
  }

  private static NativeLibrary load() throws IOException {
    Path file = Files.createTempFile("prenas-mkl-cpu-", ".so");
    try {
      try (InputStream in = MklCpuDispatch.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException("resource " + RESOURCE + " missing from the class path");
        }
        Files.write(file, in.readAllBytes());
      }
      return NativeLibrary.getInstance(file.toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL));
    } finally {
      Files.deleteIfExists(file); // the mapping stays after the file is gone, and no temp file is left behind
    }
  }

  private static boolean isLinuxX86() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
        && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** {@code vendor_id} of /proc/cpuinfo (AuthenticAMD, GenuineIntel, HygonGenuine, ...), null when unknown. */
  static String cpuVendor() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("vendor_id")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
