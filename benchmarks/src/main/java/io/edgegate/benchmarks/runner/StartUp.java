package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up: process start to ready with a journal holding many events not yet forwarded (the
 * start-up with an empty journal is measured by every gateway the other scenarios start).
 */
final class StartUp {
  static final String STARTUP = "startup";
  private static final Pattern FILLED = Pattern.compile("filled \\d+ events in ([0-9.]+) s");

  private StartUp() {}

  static void run(Bench b) throws IOException, InterruptedException {
    long events = b.plan.journalEvents();
    Path dir = b.work.resolve("gw-startup");
    try {
      Child fill =
          Child.start(
              "journal-fill",
              b.java(
                  List.of("-Xmx512m"),
                  JournalFillMain.class.getName(),
                  List.of(
                      dir.resolve("journal").toString(),
                      Long.toString(events),
                      Integer.toString(Bench.PAYLOAD))),
              b.logDir);
      int exit = fill.awaitExit(Duration.ofMinutes(10));
      Matcher m = FILLED.matcher(fill.stdout());
      if (exit != 0 || !m.find()) {
        throw new IllegalStateException(
            "journal fill exited with " + exit + ": " + Child.tail(fill.stderr()));
      }
      b.log("journal filled with %,d events in %s s", events, m.group(1));
      GatewayChild.Setup setup =
          new GatewayChild.Setup("startup", "batch", "at-least-once", "bench.startup");
      GatewayChild gw = GatewayChild.start(b, setup, dir, b.kafka.bootstrapServers());
      if (b.jfr) {
        gw.close(); // SIGTERM: the flight recording is written at exit
      } else {
        gw.kill(); // it would forward the whole journal now: of no interest here
      }
      String config = "journal of " + events + " events";
      b.results.add(
          STARTUP, Results.EDGEGATE, config, 0, 0, "start-to-ready", gw.startToReadySeconds, "s");
      b.results.add(
          STARTUP, Results.EDGEGATE, config, 0, 0, "reported-ready", gw.reportedReadySeconds, "s");
      b.results.add(
          STARTUP,
          Results.EDGEGATE,
          config,
          0,
          0,
          "fill-time",
          Double.parseDouble(m.group(1)),
          "s");
      b.log("gateway on a journal of %,d events ready in %.2f s", events, gw.startToReadySeconds);
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }
}
