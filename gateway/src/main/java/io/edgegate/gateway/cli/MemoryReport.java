package io.edgegate.gateway.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.edgegate.gateway.config.MemoryConfig;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * What memory the JVM got, as one line for the start log: the profile and budget the launcher
 * applied ({@code bin/edgegate} passes them as {@code edgegate.memory.*} properties) and the
 * settings in force, read from the JVM itself, so that options from {@code JAVA_OPTS} show as they
 * are.
 */
final class MemoryReport {
  static final String PROFILE_PROPERTY = "edgegate.memory.profile";
  static final String BUDGET_PROPERTY = "edgegate.memory.budget";

  private MemoryReport() {}

  /** "Memory: profile raspberry-pi, budget 160 MiB: heap 16..72 MiB (Serial), ...". */
  static String line() {
    String profile = System.getProperty(PROFILE_PROPERTY);
    StringBuilder out = new StringBuilder("Memory: ");
    if (profile == null) {
      out.append("JVM defaults (not started by bin/edgegate)");
    } else {
      out.append("profile ").append(profile);
      String budget = System.getProperty(BUDGET_PROPERTY);
      if (budget != null) {
        out.append(", budget ").append(budget.replace("m", " MiB"));
      }
    }
    Runtime rt = Runtime.getRuntime();
    out.append(": heap ")
        .append(mib(option("InitialHeapSize")))
        .append("..")
        .append(mib(rt.maxMemory()))
        .append(" MiB (")
        .append(gc())
        .append(" GC), metaspace <= ")
        .append(limit(option("MaxMetaspaceSize")))
        .append(", direct <= ")
        .append(direct())
        .append(", code cache ")
        .append(limit(option("ReservedCodeCacheSize")))
        .append(", thread stack ")
        .append(option("ThreadStackSize"))
        .append(" KiB, JIT ")
        .append(jit());
    return out.toString();
  }

  /**
   * A warning when the JVM's flags are not those of {@code config}'s profile (a JVM started by
   * other means than the launcher, or a profile changed since), else null.
   */
  static String mismatch(MemoryConfig config) {
    String applied = System.getProperty(PROFILE_PROPERTY);
    String wanted = config.profile.name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (applied == null || applied.equals(wanted)) {
      return null;
    }
    return "memory.profile is "
        + wanted
        + " but the JVM was started with the flags of "
        + applied
        + " (set EDGEGATE_MEMORY_PROFILE or the config file the launcher reads)";
  }

  private static String gc() {
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    String names = gcs.isEmpty() ? "" : gcs.get(0).getName();
    if (names.startsWith("Copy") || names.startsWith("MarkSweep")) {
      return "Serial";
    }
    if (names.startsWith("G1")) {
      return "G1";
    }
    if (names.startsWith("PS ")) {
      return "Parallel";
    }
    return names.isEmpty() ? "?" : names.split(" ")[0];
  }

  private static String jit() {
    String tiered = option("TieredCompilation");
    String stop = option("TieredStopAtLevel");
    if ("false".equals(tiered)) {
      return "C2 only";
    }
    return "1".equals(stop) ? "C1 only" : "C1+C2";
  }

  private static String direct() {
    String v = option("MaxDirectMemorySize");
    // 0: the JVM's default, as much as the maximum heap.
    return "0".equals(v) ? mib(Runtime.getRuntime().maxMemory()) + " MiB" : limit(v);
  }

  private static String limit(String bytes) {
    try {
      long b = Long.parseLong(bytes);
      return b >= 1L << 40 ? "unlimited" : mib(b) + " MiB";
    } catch (NumberFormatException e) {
      return bytes;
    }
  }

  private static String mib(String bytes) {
    try {
      return mib(Long.parseLong(bytes));
    } catch (NumberFormatException e) {
      return bytes;
    }
  }

  private static String mib(long bytes) {
    return Long.toString(Math.round(bytes / 1048576.0));
  }

  private static String option(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption(name)
          .getValue();
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
