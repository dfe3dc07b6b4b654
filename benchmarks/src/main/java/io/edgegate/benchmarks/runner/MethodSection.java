package io.edgegate.benchmarks.runner;

/** How each figure was measured: the load, the references, the gateway, and what was read where. */
final class MethodSection {
  private MethodSection() {}

  static void write(Bench b, Markdown md) {
    md.line(
        """
        - **Load**: `edgegate-sim run` as a child JVM, MQTT 5, fixed %d-byte payloads, each client \
        keeping 64 publishes in flight (20 in the in-flight-20 rows), rate `max` (throughput) or a \
        fixed total rate (latency, scale, outage). The same command line against Mosquitto and \
        EdgeGate.
        - **Warm-up**: every gateway is first loaded (QoS 1, full speed, most clients) in windows of \
        %d s until two successive windows' CPU per event differ by at most %.0f %% (at most %d s); \
        only then are its loads measured. The warm-up windows, the first 10 s after the start \
        among them, are reported apart; the cold-start rows start a gateway under load at once.
        - **Mosquitto**: started by the runner with a generated configuration (listener on \
        127.0.0.1, free port, `persistence false`); QoS 1 throughput = PUBACKs/s, QoS 0 = messages \
        one subscriber (`mosquitto_sub -t '#'`, a line per message into a file) received per \
        second while they arrived; the no-subscriber ingest rate is kept as context.
        - **Raw producer**: a plain `KafkaProducer` with the gateway's settings (acks=all, \
        idempotence, 5 requests in flight, linger 5 ms, lz4), to the same broker process, after \
        a warm-up of its own. As reference of the gateway's CPU per event and of its forward stage \
        it *replays the gateway's own records* (read back from the drain scenario's topic: the same \
        keys, headers, values and partitions). Its CPU is its own process's over the window.
        - **EdgeGate**: `bin/edgegate run` as a child process (the launcher's own JVM flags and \
        class-data sharing; the profile's configuration file and environment, the runner's ports, \
        directories and topic laid over it); throughput = `edgegate_events_forwarded_total` \
        (events Kafka acknowledged) over the time it rose; its records carry the CloudEvents \
        headers besides the payload.
        - **Latency**: every topic is created with `message.timestamp.type=LogAppendTime`, so a \
        record's timestamp is when the broker appended it: EdgeGate = the simulator's audit, \
        publish (the device's clock) → append time, every event read back; raw producer = its \
        `send()` → the append time in its acknowledgement. Both in whole ms, same clock.
        - **CPU** = utime + stime from `/proc/<pid>/stat` of each process over the load; **RSS** \
        from `/proc/<pid>/status`; **heap** = used after a full GC (`jcmd GC.run`, then \
        `GC.heap_info`, all spaces). **By stage**: a flight recording (`jcmd JFR.start`, \
        `jdk.ThreadCPULoad` and `jdk.ThreadAllocationStatistics` each second) during one extra \
        load, read with `jfr print --json`, threads grouped by name.
        - **Scale**: N−%d idle devices (one event a minute each) connect at 1,000/s (heap per idle \
        connection = (heap with them − idle process) ÷ their number), then %d active devices carry \
        %.0f events/s as well (RSS, heap); per profile (the shipped default; Raspberry Pi: its \
        configuration file and the JVM options its header gives).
        - **Drain**: a warm gateway journals a backlog (QoS 1 at full speed) while Kafka is \
        stopped; the devices stop; Kafka comes back; rate = events forwarded ÷ the time the \
        counter rose.
        - **Outage**: 10 devices at %.0f events/s, QoS 1; the Kafka broker process stopped for %d s \
        and started again (same data, same port); drain rate = (backlog when Kafka was back + \
        events arriving meanwhile) ÷ time until the backlog is under 0.2 s of ingest.
        - Raw CSV/JSON: `results.csv`, `results.json`; child process output: `logs/`."""
            .formatted(
                Bench.PAYLOAD,
                b.plan.warmUpWindow().toSeconds(),
                b.plan.warmUpTolerance() * 100,
                b.plan.warmUpMax().toSeconds(),
                b.plan.scaleActive(),
                b.plan.scaleActive(),
                b.plan.scaleRate(),
                b.plan.outageRate(),
                b.plan.outage().toSeconds()));
  }
}
