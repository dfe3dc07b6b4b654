package io.edgegate.sim.simulate;

import io.edgegate.sim.payload.Stamp;
import java.util.concurrent.CompletableFuture;

/**
 * One device's MQTT connection, on the asynchronous HiveMQ client: no thread of its own, the
 * network I/O runs on a small shared Netty event loop group. Implementations are thread-safe.
 */
interface MqttLink {
  /**
   * Connection life cycle, called on the client's threads. {@link #disconnected} decides whether
   * and when the client connects again (it keeps its CONNECT: credentials, will).
   */
  interface Events {
    void connected();

    /**
     * @param byUs the simulator disconnected (churn, stop), rather than the network or the broker
     * @param failedAttempts connection attempts that failed since the last success
     * @return milliseconds until the next connection attempt, or -1 for none
     */
    long disconnected(boolean byUs, int failedAttempts, Throwable cause);
  }

  /**
   * Connects; on failure the {@link Events#disconnected} answer decides about further attempts. The
   * future completes once connected, or when attempts are given up.
   */
  CompletableFuture<?> connect();

  /**
   * Publishes one message. Completes normally once the broker acknowledged it (QoS 1 PUBACK, QoS 2
   * PUBCOMP, each with a success reason code) or, at QoS 0, once it was written to the network;
   * completes exceptionally otherwise (negative acknowledgement, connection lost, not connected).
   */
  CompletableFuture<Void> publish(Stamp stamp, byte[] payload);

  /**
   * Sends DISCONNECT. With {@code withWill} (MQTT 5 only) the reason code is 0x04 "disconnect with
   * will message", so the broker publishes the Last Will as if the device had vanished.
   */
  CompletableFuture<Void> disconnect(boolean withWill);
}
