package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a run is on, as the report labels its absolute figures: host, cores, CPU, JDK, OS,
 * memory and the load average (from /proc; "unknown" where it cannot be read).
 */
final class Machine {
  private Machine() {}

  /** This machine now (the run's date and the load average before it), in the report's keys. */
  static Map<String, Object> describe() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    m.put("date", now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT)));
    m.put("startedAt", now.toString());
    String host = ProcessProbe.run("hostname").trim();
    if (host.isEmpty()) {
      host = InetAddress.getLocalHost().getHostName();
    }
    m.put("host", host.replaceAll("[^A-Za-z0-9._-]", "_"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu", cpuModel());
    m.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("memory", memTotal());
    m.put("loadBefore", loadAverage());
    return m;
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String memTotal() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      Optional<String> kib =
          lines
              .filter(l -> l.startsWith("MemTotal:"))
              .map(l -> l.replaceAll("\\D+", ""))
              .findFirst();
      return kib.map(k -> String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(k) / 1048576.0))
          .orElse("unknown RAM");
    } catch (IOException e) {
      return "unknown RAM";
    }
  }
}
