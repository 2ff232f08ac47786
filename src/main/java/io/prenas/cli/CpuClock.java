package io.prenas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CPU went during a load phase: the server's own CPU time per request (from Linux's /proc, when its process
 * id is known) and this client's. On a small machine the client, the server and its database share the cores, so
 * these say how much of them each request takes. The machine-wide counters of /proc/stat are not used: on the
 * virtual machines this was measured on they counted a fraction of what the processes' own counters did. Off Linux,
 * or without the server's pid, the server's figure is left out.
 */
final class CpuClock {

  /** Linux's clock ticks per second for /proc (USER_HZ): 100 on every mainstream kernel. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Long serverPid;
  private final long serverTicks;
  private final long clientNanos;

  private CpuClock(Long serverPid) {
    this.serverPid = serverPid;
    this.serverTicks = processTicks(serverPid);
    this.clientNanos = clientCpuNanos();
  }

  static CpuClock start(Long serverPid) {
    return new CpuClock(serverPid);
  }

  /** Puts the CPU per request of the phase since {@link #start} ({@code requests} of them) into {@code result}. */
  void stop(int requests, ObjectNode result) {
    long server = processTicks(serverPid);
    if (server >= 0 && serverTicks >= 0) {
      result.put("serverCpuMsPerRequest", (server - serverTicks) / TICKS_PER_SECOND * 1e3 / requests);
    }
    long client = clientCpuNanos();
    if (client >= 0 && clientNanos >= 0) {
      result.put("clientCpuMsPerRequest", (client - clientNanos) / 1e6 / requests);
    }
  }

  /** utime + stime of a process in ticks, or -1. */
  private static long processTicks(Long pid) {
    if (pid == null) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long clientCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
