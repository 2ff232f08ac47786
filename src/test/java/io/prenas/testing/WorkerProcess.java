package io.prenas.testing;

import io.prenas.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PreNAS worker in a JVM of its own (the test's classpath, {@code io.prenas.Main} with role {@code worker}), so a
 * test can kill it as an operating system would: SIGKILL, no shutdown hook, no chance to tidy up.
 */
public final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a worker.
   *
   * @param name names its log file under {@code target/}
   * @param properties Spring properties, {@code key=value}
   */
  public static WorkerProcess start(String name, List<String> properties) throws IOException {
    Path log = Path.of("target", "worker-" + name + ".log");
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived worker: start fast rather than peak
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.prenas.Main");
    cmd.add("--prenas.role=worker");
    cmd.add("--server.port=0");
    cmd.add("--prenas.demo.enabled=false");
    for (String p : properties) {
      cmd.add("--" + p);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new WorkerProcess(p, log);
  }

  /** The process id; the job rows name their worker {@code pid@host}. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
