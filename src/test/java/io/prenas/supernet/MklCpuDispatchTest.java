package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MKL CPU-dispatch shim: what the committed library answers, and that MKL in libtorch takes it up. */
class MklCpuDispatchTest {

  private static final String SYMBOL = "mkl_serv_intel_cpu_true";

  @TempDir
  Path dir;

  @Test
  void theCommittedLibraryAnswersThatTheCpuIsIntels() throws IOException {
    assumeTrue(isLinuxX86(), "the shim is an x86-64 Linux library");
    Path copy = dir.resolve("committed.so");
    try (InputStream in = MklCpuDispatch.class.getResourceAsStream(MklCpuDispatch.RESOURCE)) {
      assertThat(in).as(MklCpuDispatch.RESOURCE).isNotNull();
      Files.write(copy, in.readAllBytes());
    }
    assertThat(answer(copy)).isEqualTo(1);
  }

  @Test
  void theSourceBuildsToALibraryThatAnswersAlike() throws Exception {
    assumeTrue(isLinuxX86(), "the shim is an x86-64 Linux library");
    assumeTrue(onPath("cc"), "no C compiler");
    Path built = dir.resolve("built.so");
    ProcessBuilder pb = new ProcessBuilder("sh", "src/main/native/build.sh").redirectErrorStream(true);
    pb.environment().put("OUT", built.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(answer(built)).isEqualTo(1);
  }

  /**
   * On a CPU that is not Intel's, the test JVM installed the shim before the engine started (as {@code Main} does),
   * and MKL inside libtorch then detects a vector code path (its {@code mkl_serv_cpu_detect}: 0 is the generic one,
   * which it takes on such CPUs without the shim).
   */
  @Test
  void mklInLibtorchDispatchesByCpuFeatures() throws IOException {
    assumeTrue(isLinuxX86(), "x86-64 Linux only");
    String vendor = MklCpuDispatch.cpuVendor();
    assumeTrue(vendor != null && !vendor.equals("GenuineIntel"), "MKL needs no help on Intel CPUs");
    assumeTrue(cpuFlags().contains(" avx2"), "a CPU without AVX2 may rightly get MKL's generic kernels");
    MklCpuDispatch.install(); // already done by the test launcher; a second call changes nothing
    assertThat(MklCpuDispatch.state()).isEqualTo(MklCpuDispatch.FEATURES + vendor);
    try (NDManager m = NDManager.newBaseManager(); NDArray x = m.ones(new Shape(64, 64))) {
      assertThat(x.matMul(x).getFloat(0, 0)).isEqualTo(64f); // MKL has run
    }
    NativeLibrary torch = NativeLibrary.getInstance(loaded("libtorch_cpu.so"));
    assertThat(torch.getFunction("mkl_serv_cpu_detect").invokeInt(new Object[0])).isPositive();
  }

  @Test
  void settingsAndPlatformsWhereTheShimDoesNotApply() {
    assertThat(MklCpuDispatch.skipReason(null, "AuthenticAMD", true)).isNull();
    assertThat(MklCpuDispatch.skipReason(" Features ", "HygonGenuine", true)).isNull();
    assertThat(MklCpuDispatch.skipReason("vendor", "AuthenticAMD", true)).contains("prenas.mkl.cpu-dispatch=vendor");
    assertThat(MklCpuDispatch.skipReason("fast", "AuthenticAMD", true)).contains("neither features nor vendor");
    assertThat(MklCpuDispatch.skipReason(null, "GenuineIntel", true)).startsWith("not needed");
    assertThat(MklCpuDispatch.skipReason(null, null, true)).startsWith("not needed");
    assertThat(MklCpuDispatch.skipReason(null, "AuthenticAMD", false)).startsWith("not needed");
  }

  private static int answer(Path library) {
    NativeLibrary lib = NativeLibrary.getInstance(library.toString(), Map.of(Library.OPTION_OPEN_FLAGS, 0x2));
    try {
      return lib.getFunction(SYMBOL).invokeInt(new Object[0]);
    } finally {
      lib.close();
    }
  }

  private static String loaded(String name) throws IOException {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.endsWith("/" + name)).map(l -> l.substring(l.indexOf('/'))).findFirst()
          .orElseThrow(() -> new AssertionError(name + " is not loaded"));
    }
  }

  private static String cpuFlags() throws IOException {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
    }
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
  }

  private static boolean isLinuxX86() {
    return System.getProperty("os.name").startsWith("Linux")
        && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64"));
  }
}
