package io.edgegate.it;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device on the HiveMQ MQTT 5 client (an independent MQTT implementation). Payloads are JSON
 * carrying the device id and a per-device sequence number, so tests can check loss and order.
 */
final class Device implements AutoCloseable {
  final String id;
  final Mqtt5AsyncClient client;

  /** Sequence numbers whose PUBACK said success, in completion order. */
  final ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();

  /** Errors of publishes that were not acknowledged (e.g. a negative PUBACK). */
  final ConcurrentLinkedQueue<Throwable> refusals = new ConcurrentLinkedQueue<>();

  private Device(String id, Mqtt5AsyncClient client) {
    this.id = id;
    this.client = client;
  }

  static Device connect(String id, int port) throws Exception {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
    return new Device(id, client);
  }

  static String topic(String id) {
    return "devices/" + id + "/telemetry";
  }

  static byte[] payload(String id, int seq, int padding) {
    String json =
        "{\"device\":\"" + id + "\",\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(padding) + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Publishes sequence numbers [from, from+count) in order; completes when every publish has an
   * outcome (a refused or lost one is simply not in {@link #acked}).
   */
  CompletableFuture<Void> publish(int from, int count, MqttQos qos, int padding) {
    List<CompletableFuture<?>> all = new ArrayList<>(count);
    for (int seq = from; seq < from + count; seq++) {
      final int s = seq;
      all.add(
          client
              .publishWith()
              .topic(topic(id))
              .qos(qos)
              .payload(payload(id, seq, padding))
              .send()
              .handle(
                  (result, error) -> {
                    if (error == null && succeeded(result)) {
                      acked.add(s);
                    } else {
                      refusals.add(error != null ? error : result.getError().get());
                    }
                    return null;
                  }));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /**
   * Publishes a steady stream from {@code from} in chunks of {@code chunk}, each chunk after the
   * previous one was acknowledged, until a publish fails (e.g. the gateway went away). Completes
   * with the next sequence number not published.
   */
  CompletableFuture<Integer> stream(int from, int chunk, int padding) {
    return stream(from, chunk, padding, new java.util.concurrent.atomic.AtomicBoolean());
  }

  /** Like {@link #stream(int, int, int)}, and also stops (cleanly) once {@code stop} is set. */
  CompletableFuture<Integer> stream(
      int from, int chunk, int padding, java.util.concurrent.atomic.AtomicBoolean stop) {
    int before = acked.size();
    return publish(from, chunk, MqttQos.AT_LEAST_ONCE, padding)
        .thenCompose(
            v ->
                acked.size() - before == chunk && !stop.get()
                    ? stream(from + chunk, chunk, padding, stop)
                    : CompletableFuture.completedFuture(from + chunk));
  }

  static boolean succeeded(Mqtt5PublishResult result) {
    return result.getError().isEmpty();
  }

  @Override
  public void close() {
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // already gone (the gateway stopped): nothing to release
    }
  }
}
