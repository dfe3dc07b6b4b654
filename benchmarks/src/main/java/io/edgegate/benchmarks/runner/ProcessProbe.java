package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process costs, read from {@code /proc} (CPU, resident memory) and from {@code jcmd} (heap
 * after a full GC). Linux only, like the benchmarks. Any thread.
 */
final class ProcessProbe {
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final double TICKS_PER_SECOND = clockTicks();

  private ProcessProbe() {}

  /** User plus system CPU seconds the process has used so far ({@code /proc/<pid>/stat}). */
  static double cpuSeconds(long pid) {
    return cpuTimes(pid)[0];
  }

  /** System (kernel) CPU seconds the process has used so far: wake-ups, I/O, fsync. */
  static double systemCpuSeconds(long pid) {
    return cpuTimes(pid)[1];
  }

  /** {user + system, system} CPU seconds, or NaN. */
  private static double[] cpuTimes(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long user = Long.parseLong(f[11]);
      long system = Long.parseLong(f[12]);
      return new double[] {(user + system) / TICKS_PER_SECOND, system / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}), or -1. */
  static long rssBytes(long pid) {
    return statusKib(pid, "VmRSS:") * 1024;
  }

  /** Anonymous resident memory in bytes (RSS without memory-mapped files such as the journal). */
  static long rssAnonBytes(long pid) {
    return statusKib(pid, "RssAnon:") * 1024;
  }

  private static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /**
   * Heap in use right after a full GC, in bytes (via {@code jcmd}), or -1: the sum over the heap's
   * spaces (G1 has one line, Serial and Parallel one per generation).
   */
  static long heapAfterGcBytes(long pid) {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    long used = -1;
    while (m.find()) {
      used = Math.max(used, 0) + Long.parseLong(m.group(1)) * 1024;
    }
    return used;
  }

  /** {@code jcmd PID ARGS…} of the runner's JDK; its output. */
  static String jcmd(long pid, String... args) {
    String[] cmd = new String[args.length + 2];
    cmd[0] = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    cmd[1] = Long.toString(pid);
    System.arraycopy(args, 0, cmd, 2, args.length);
    return run(cmd);
  }

  /** Threads of the process ({@code Threads:} of its status), or -1. */
  static long threads(long pid) {
    return statusKib(pid, "Threads:");
  }

  /** Open file descriptors of a process, or -1. */
  static long openFiles(long pid) {
    try (java.util.stream.Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return s.count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /** Bytes a directory tree takes on disk (allocated blocks, as {@code du}), or -1. */
  static long diskUsageBytes(Path dir) {
    String out = run("du", "-sk", dir.toString()).trim();
    try {
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static double clockTicks() {
    try {
      return Double.parseDouble(run("getconf", "CLK_TCK").trim());
    } catch (RuntimeException e) {
      return 100; // USER_HZ on every Linux architecture the gateway targets
    }
  }
}
