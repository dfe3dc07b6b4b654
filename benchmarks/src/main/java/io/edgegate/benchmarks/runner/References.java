package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two references every gateway figure is divided by: Mosquitto under the same simulator load
 * (what "just an MQTT broker" costs here), and a plain Kafka producer into the same broker (the
 * ceiling of the Kafka side).
 */
final class References {
  static final String BROKER = "broker";
  static final String KAFKA = "kafka";
  private static final Pattern RESULT =
      Pattern.compile(
          "result records=(\\d+) failed=(\\d+) seconds=([0-9.]+) cpu=([0-9.]+) p50=([0-9.]+)"
              + " p99=([0-9.]+) p999=([0-9.]+)");

  private References() {}

  /** Mosquitto, QoS 1 and 0, each client count of the plan. */
  static void mosquitto(Bench b) throws IOException, InterruptedException {
    if (b.mosquitto.isEmpty()) {
      b.results.notMeasured.put("mosquitto", "not measured: mosquitto not installed");
      b.log("mosquitto: not installed, its rows are left out");
      return;
    }
    Results r = b.results;
    try (MosquittoChild m = MosquittoChild.start(b, b.mosquitto.get(), "mosquitto")) {
      r.add("startup", Results.MOSQUITTO, "", 0, 0, "start-to-ready", m.startToReadySeconds, "s");
      for (int qos : List.of(1, 0)) {
        for (int clients : b.plan.clients()) {
          double cpu0 = m.cpuSeconds();
          SimChild.Result run =
              SimChild.run(
                  b,
                  b.runId("mosquitto-q" + qos + "-c" + clients),
                  m.port,
                  maxLoad(b, clients, qos));
          double cpu = m.cpuSeconds() - cpu0;
          long events = qos == 0 ? run.written() : run.acknowledged();
          r.add(
              BROKER, Results.MOSQUITTO, "", qos, clients, "throughput", run.rate(qos), "events/s");
          r.add(
              BROKER,
              Results.MOSQUITTO,
              "",
              qos,
              clients,
              "cpu-per-million",
              cpu / events * 1e6,
              "s");
          r.add(
              BROKER,
              Results.MOSQUITTO,
              "",
              qos,
              clients,
              "sim-cpu-per-million",
              run.cpuSeconds() / events * 1e6,
              "s");
          if (qos == 1) {
            r.add(BROKER, Results.MOSQUITTO, "", qos, clients, "ack-p50", run.ackP50(), "ms");
            r.add(BROKER, Results.MOSQUITTO, "", qos, clients, "ack-p99", run.ackP99(), "ms");
          }
          r.add(
              BROKER, Results.MOSQUITTO, "", qos, clients, "rss", m.rssBytes() / 1048576.0, "MiB");
          b.log(
              "mosquitto QoS %d, %d clients: %.0f events/s, %.2f CPU s per million",
              qos, clients, run.rate(qos), cpu / events * 1e6);
        }
      }
    }
  }

  /** The simulator at full speed: every device keeps 64 publishes in flight. */
  static SimChild.Load maxLoad(Bench b, int clients, int qos) {
    return new SimChild.Load(clients, qos, 0, 0, b.plan.load(), Duration.ZERO, 1, 64);
  }

  /** Config label of the raw producer whose records carry the envelope's headers. */
  static final String WITH_HEADERS = "with the envelope's headers";

  /**
   * The raw producer as fast as it goes, keyed by as many device ids as the largest load: plain
   * records (the reference), then records with the envelope's headers (what of the gateway's cost
   * is the Kafka client's work on its headers).
   */
  static void rawProducerMax(Bench b) throws IOException, InterruptedException {
    // Quick mode: the plain reference only (the run with headers would add ~5 s).
    for (String config : b.quick ? List.of("") : List.of("", WITH_HEADERS)) {
      boolean headers = !config.isEmpty();
      double kafkaCpu0 = b.kafka.cpuSeconds();
      double[] f = rawProducer(b, headers ? "raw-max-headers" : "raw-max", 0, headers);
      double kafkaCpu = b.kafka.cpuSeconds() - kafkaCpu0;
      Results r = b.results;
      int c = b.plan.maxClients();
      r.add(KAFKA, Results.RAW, config, 1, c, "throughput", f[0] / f[2], "events/s");
      r.add(KAFKA, Results.RAW, config, 1, c, "cpu-per-million", f[3] / f[0] * 1e6, "s");
      r.add(KAFKA, Results.RAW, config, 1, c, "kafka-cpu-per-million", kafkaCpu / f[0] * 1e6, "s");
      r.add(KAFKA, Results.RAW, config, 1, c, "ack-p50", f[4], "ms");
      r.add(KAFKA, Results.RAW, config, 1, c, "ack-p99", f[5], "ms");
      b.log(
          "raw producer %s: %.0f records/s, %.2f CPU s per million",
          headers ? config : "(plain records)", f[0] / f[2], f[3] / f[0] * 1e6);
    }
  }

  /** The raw producer at a fixed rate: the Kafka side's own send → acknowledgement latency. */
  static void rawProducerLatency(Bench b, double rate) throws IOException, InterruptedException {
    double[] f = rawProducer(b, "raw-rate", rate, false);
    Results r = b.results;
    int clients = b.plan.maxClients();
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "rate", rate, "events/s");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p50", f[4], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p99", f[5], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p99.9", f[6], "ms");
    b.log("raw producer at %.0f/s: p50 %.1f ms, p99 %.1f ms", rate, f[4], f[5]);
  }

  /** records, failed, seconds, cpu, p50, p99, p99.9 */
  private static double[] rawProducer(Bench b, String label, double rate, boolean headers)
      throws IOException, InterruptedException {
    String id = b.runId(label);
    Child c =
        Child.start(
            id,
            b.java(
                List.of("-Xmx512m"),
                RawProducerMain.class.getName(),
                List.of(
                    b.kafka.bootstrapServers(),
                    "bench.raw",
                    Integer.toString(Bench.PAYLOAD),
                    Double.toString(b.plan.load().toMillis() / 1000.0),
                    String.format(Locale.ROOT, "%.0f", rate),
                    Integer.toString(b.plan.maxClients()),
                    headers ? "headers" : "plain")),
            b.logDir);
    int exit = c.awaitExit(b.plan.load().plus(Duration.ofSeconds(120)));
    Matcher m = RESULT.matcher(c.stdout());
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException(
          "raw producer exited with " + exit + ": " + Child.tail(c.stderr()));
    }
    double[] f = new double[7];
    for (int i = 0; i < 7; i++) {
      f[i] = Double.parseDouble(m.group(i + 1));
    }
    return f;
  }
}
