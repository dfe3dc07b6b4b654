package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
              + " p99=([0-9.]+) p999=([0-9.]+) append50=(\\d+) append99=(\\d+) append999=(\\d+)"
              + " replayed=(\\d+)");

  /** Config label of the raw producer replaying the gateway's own records. */
  static final String REPLAY = "replaying the gateway's records";

  /** Config label of Mosquitto delivering to one subscriber. */
  static final String SUBSCRIBER = "one subscriber";

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
          SimChild.Result run;
          try {
            run =
                SimChild.run(
                    b,
                    b.runId("mosquitto-q" + qos + "-c" + clients),
                    m.port,
                    maxLoad(b, clients, qos));
          } catch (RuntimeException e) {
            // One load failing (e.g. a machine too busy to connect) leaves the others measurable.
            b.results.notMeasured.put(
                "Mosquitto QoS %d %d clients".formatted(qos, clients), "failed: " + e.getMessage());
            continue;
          }
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
      for (int clients : b.plan.clients()) {
        try {
          subscribed(b, m, clients);
        } catch (RuntimeException e) {
          b.results.notMeasured.put(
              "Mosquitto QoS 0 to one subscriber, %d clients".formatted(clients),
              "failed: " + e.getMessage());
        }
      }
      double cpu0 = m.cpuSeconds();
      SimChild.Result run =
          SimChild.run(
              b,
              b.runId("mosquitto-q1-c10-w" + EndToEnd.IN_FLIGHT_SMALL),
              m.port,
              maxLoad(b, 10, 1, EndToEnd.IN_FLIGHT_SMALL));
      String w = "in-flight " + EndToEnd.IN_FLIGHT_SMALL;
      r.add(BROKER, Results.MOSQUITTO, w, 1, 10, "throughput", run.rate(1), "events/s");
      r.add(
          BROKER,
          Results.MOSQUITTO,
          w,
          1,
          10,
          "cpu-per-million",
          (m.cpuSeconds() - cpu0) / run.acknowledged() * 1e6,
          "s");
      b.log("mosquitto QoS 1, 10 clients, %s: %.0f events/s", w, run.rate(1));
    }
  }

  /**
   * QoS 0 delivered to one subscriber ({@code mosquitto_sub}, one line per message into a file):
   * the rate at which it received them while they arrived.
   */
  private static void subscribed(Bench b, MosquittoChild m, int clients)
      throws IOException, InterruptedException {
    Optional<Path> sub = MosquittoChild.findSub();
    if (sub.isEmpty()) {
      b.results.notMeasured.put(
          "Mosquitto QoS 0 to one subscriber", "not measured: mosquitto_sub not installed");
      return;
    }
    String id = b.runId("mosquitto-sub-c" + clients);
    Path received = b.logDir.resolve(id + ".out");
    try (Child s =
        Child.start(
            id,
            List.of(
                sub.get().toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(m.port),
                "-t",
                "#",
                "-q",
                "0",
                "-F",
                ""),
            b.logDir)) {
      // Subscribed once Mosquitto counts a client (the simulator's devices come later).
      Child.pause(300);
      double cpu0 = m.cpuSeconds();
      double subCpu0 = ProcessProbe.cpuSeconds(s.pid());
      SimChild sim =
          SimChild.start(
              b, b.runId("mosquitto-q0-sub-c" + clients), m.port, maxLoad(b, clients, 0));
      EndToEnd.ForwardedSamples samples =
          new EndToEnd.ForwardedSamples(() -> fileSize(received), 0);
      while (sim.alive()) {
        samples.take();
        Child.pause(100);
      }
      SimChild.Result run = sim.result();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline && samples.sinceLastIncrease() < 1e9) {
        samples.take();
        Child.pause(100);
      }
      double cpu = m.cpuSeconds() - cpu0;
      double subCpu = ProcessProbe.cpuSeconds(s.pid()) - subCpu0;
      Results r = b.results;
      r.add(
          BROKER,
          Results.MOSQUITTO,
          SUBSCRIBER,
          0,
          clients,
          "throughput",
          samples.rate(),
          "events/s");
      r.add(
          BROKER,
          Results.MOSQUITTO,
          SUBSCRIBER,
          0,
          clients,
          "delivered",
          samples.count(),
          "events");
      r.add(
          BROKER, Results.MOSQUITTO, SUBSCRIBER, 0, clients, "published", run.written(), "events");
      r.add(
          BROKER,
          Results.MOSQUITTO,
          SUBSCRIBER,
          0,
          clients,
          "cpu-per-million",
          cpu / samples.count() * 1e6,
          "s");
      r.add(
          BROKER,
          Results.MOSQUITTO,
          SUBSCRIBER,
          0,
          clients,
          "subscriber-cpu-per-million",
          subCpu / samples.count() * 1e6,
          "s");
      b.log(
          "mosquitto QoS 0, %d clients, one subscriber: %.0f events/s delivered (%.0f of %d)",
          clients, samples.rate(), samples.count(), run.written());
    }
  }

  private static double fileSize(Path p) {
    try {
      return java.nio.file.Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Publishes each device keeps in flight at full speed. */
  static final int IN_FLIGHT = 64;

  /** The simulator at full speed: every device keeps 64 publishes in flight. */
  static SimChild.Load maxLoad(Bench b, int clients, int qos) {
    return maxLoad(b, clients, qos, IN_FLIGHT);
  }

  static SimChild.Load maxLoad(Bench b, int clients, int qos, int inFlight) {
    return new SimChild.Load(clients, qos, 0, 0, b.plan.load(), Duration.ZERO, 1, inFlight);
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
      double[] f =
          rawProducer(
              b,
              headers ? "raw-max-headers" : "raw-max",
              "bench.raw",
              0,
              headers ? "headers" : "plain",
              List.of());
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

  /**
   * The raw producer at a fixed rate, records with the envelope's headers: send → the broker's
   * append time (the end point of the gateway's figure), and send → acknowledgement as context.
   */
  static void rawProducerLatency(Bench b, double rate) throws IOException, InterruptedException {
    Topics.create(b.kafka.bootstrapServers(), "bench.raw-latency");
    double[] f = rawProducer(b, "raw-rate", "bench.raw-latency", rate, "headers", List.of());
    Results r = b.results;
    int clients = b.plan.maxClients();
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "rate", rate, "events/s");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p50", f[7], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p99", f[8], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "p99.9", f[9], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "ack-p50", f[4], "ms");
    r.add(EndToEnd.LATENCY, Results.RAW, "", 1, clients, "ack-p99", f[5], "ms");
    b.log(
        "raw producer at %.0f/s: send → append p50 %.0f ms, p99 %.0f ms (→ ack p99 %.1f ms)",
        rate, f[7], f[8], f[5]);
  }

  /**
   * The raw producer sending, as fast as it goes, the very records the gateway wrote to {@code
   * source} (same keys, headers, values, partitions): the reference of the forward stage.
   */
  static void rawProducerReplay(Bench b, String source) throws IOException, InterruptedException {
    Topics.create(b.kafka.bootstrapServers(), "bench.raw-replay");
    double kafkaCpu0 = b.kafka.cpuSeconds();
    double[] f =
        rawProducer(
            b,
            "raw-replay",
            "bench.raw-replay",
            0,
            "replay",
            List.of(source, Integer.toString(b.plan.replayRecords())));
    double kafkaCpu = b.kafka.cpuSeconds() - kafkaCpu0;
    Results r = b.results;
    int c = b.plan.maxClients();
    r.add(KAFKA, Results.RAW, REPLAY, 1, c, "throughput", f[0] / f[2], "events/s");
    r.add(KAFKA, Results.RAW, REPLAY, 1, c, "cpu-per-million", f[3] / f[0] * 1e6, "s");
    r.add(KAFKA, Results.RAW, REPLAY, 1, c, "kafka-cpu-per-million", kafkaCpu / f[0] * 1e6, "s");
    r.add(KAFKA, Results.RAW, REPLAY, 1, c, "distinct-records", f[10], "records");
    b.log(
        "raw producer replaying %.0f of the gateway's records: %.0f records/s, %.2f CPU s per"
            + " million",
        f[10], f[0] / f[2], f[3] / f[0] * 1e6);
  }

  /** records, failed, seconds, cpu, p50, p99, p99.9, append p50, p99, p99.9, replayed */
  private static double[] rawProducer(
      Bench b, String label, String topic, double rate, String mode, List<String> more)
      throws IOException, InterruptedException {
    String id = b.runId(label);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                b.kafka.bootstrapServers(),
                topic,
                Integer.toString(Bench.PAYLOAD),
                Double.toString(b.plan.load().toMillis() / 1000.0),
                String.format(Locale.ROOT, "%.0f", rate),
                Integer.toString(b.plan.maxClients()),
                mode,
                Double.toString(b.plan.warmUpWindow().toMillis() * 2 / 1000.0)));
    args.addAll(more);
    Child c =
        Child.start(id, b.java(List.of("-Xmx1g"), RawProducerMain.class.getName(), args), b.logDir);
    int exit = c.awaitExit(b.plan.load().plus(Duration.ofSeconds(120)));
    Matcher m = RESULT.matcher(c.stdout());
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException(
          "raw producer exited with " + exit + ": " + Child.tail(c.stderr()));
    }
    double[] f = new double[11];
    for (int i = 0; i < 11; i++) {
      f[i] = Double.parseDouble(m.group(i + 1));
    }
    return f;
  }
}
