package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.job.WorkerProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine process's command line (limits, classpath, entry point) and where isolation applies. */
class EngineProcessLauncherTest {

  private static final long MIB = 1L << 20;

  @Test
  void theAddressSpaceIsHeapPlusNativeMemoryPlusReserveThroughTheShellsUlimit() throws Exception {
    EngineProcessLauncher launcher = new EngineProcessLauncher(512 * MIB, 1024 * MIB, 3072 * MIB, 64 * MIB);
    List<String> cmd = launcher.command(Path.of("req.json"), Path.of("res.json"));
    assertThat(launcher.addressSpaceBytes()).isEqualTo(4608 * MIB);
    assertThat(cmd.subList(0, 5)).containsExactly("/bin/sh", "-c",
        "ulimit -v \"$1\" || exit 97; shift; exec \"$@\"", "prenas-engine", String.valueOf(4608 * 1024));
    assertThat(cmd.get(5)).endsWith(Path.of("bin", "java").toString());
    assertThat(cmd).contains("-Xmx512m", "-Xmn64m", "-XX:+ExitOnOutOfMemoryError", "-cp", "io.prenas.Main");
    assertThat(cmd.subList(cmd.size() - 3, cmd.size())).containsExactly(EngineProcess.COMMAND, "req.json",
        "res.json");
    assertThat(launcher.limits()).contains("heap 512 MiB (prenas.worker.child.heap)",
        "native memory 1024 MiB (prenas.worker.child.native-memory)", "address space 4608 MiB");
  }

  @Test
  void aZeroReserveStartsJavaWithoutALimit() throws Exception {
    EngineProcessLauncher launcher = new EngineProcessLauncher(256 * MIB, 256 * MIB, 0, 512 * MIB);
    List<String> cmd = launcher.command(Path.of("req.json"), Path.of("res.json"));
    assertThat(launcher.addressSpaceBytes()).isZero();
    assertThat(cmd.get(0)).endsWith(Path.of("bin", "java").toString());
    assertThat(cmd).contains("-Xmx256m", "-Xmn128m"); // the young generation is at most half the heap
    assertThat(launcher.limits()).endsWith("no address-space limit");
  }

  @Test
  void aClassPathOfManyEntriesIsNotAnExecutableJar() {
    assertThat(EngineProcessLauncher.isExecutableJar("a.jar" + java.io.File.pathSeparator + "b.jar")).isFalse();
    assertThat(EngineProcessLauncher.isExecutableJar("target/classes")).isFalse();
    assertThat(EngineProcessLauncher.isExecutableJar(null)).isFalse();
  }

  @Test
  void isolationDefaultsToAProcessOnRoleAllAndInProcessOnWorkers() {
    WorkerProperties byRole = new WorkerProperties(null, "");
    assertThat(byRole.isolatedProcess("all")).isTrue();
    assertThat(byRole.isolatedProcess("worker")).isFalse();
    assertThat(new WorkerProperties(null, "process").isolatedProcess("worker")).isTrue();
    assertThat(new WorkerProperties(null, " In-Process ").isolatedProcess("all")).isFalse();
    assertThatThrownBy(() -> new WorkerProperties(null, "thread"))
        .hasMessageContaining("prenas.worker.isolation must be process or in-process");
  }

  @Test
  void theMostTellingLineOfStderrIsTheLastThatNamesAnError() {
    assertThat(EngineProcessRunner.lastLine("loading\nTerminating due to java.lang.OutOfMemoryError: Java heap space"
        + "\nbye")).isEqualTo("Terminating due to java.lang.OutOfMemoryError: Java heap space");
    assertThat(EngineProcessRunner.lastLine("a\nb")).isEqualTo("b");
  }
}
