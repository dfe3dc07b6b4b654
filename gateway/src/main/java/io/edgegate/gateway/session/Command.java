package io.edgegate.gateway.session;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A command for one device: what to publish, at which QoS, until when. Immutable but for its
 * settlement hook, which fires at most once (any thread): the first outcome that settles the
 * command (delivered, queued durably, expired, refused) releases its Kafka offset.
 */
public final class Command {
  private final String id;
  private final String deviceId;
  private final String name;
  private final String topic;
  private final byte[] payload;
  private final int qos;
  private final long expiresAt; // epoch millis; 0: never
  private final String contentType; // null: none
  private final String responseTopic; // null: no response wanted
  private final AtomicReference<Runnable> settlement = new AtomicReference<>();

  public Command(
      String id,
      String deviceId,
      String name,
      String topic,
      byte[] payload,
      int qos,
      long expiresAt,
      String contentType,
      String responseTopic) {
    this.id = id;
    this.deviceId = deviceId;
    this.name = name;
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.expiresAt = expiresAt;
    this.contentType = contentType;
    this.responseTopic = responseTopic;
  }

  public String id() {
    return id;
  }

  public String deviceId() {
    return deviceId;
  }

  public String name() {
    return name;
  }

  public String topic() {
    return topic;
  }

  public byte[] payload() {
    return payload;
  }

  public int qos() {
    return qos;
  }

  public long expiresAt() {
    return expiresAt;
  }

  public String contentType() {
    return contentType;
  }

  public String responseTopic() {
    return responseTopic;
  }

  public boolean expired(long now) {
    return expiresAt > 0 && now >= expiresAt;
  }

  /** The same command at a lower QoS (the subscription's granted QoS). */
  Command withQos(int lower) {
    if (lower >= qos) {
      return this;
    }
    Command c =
        new Command(
            id, deviceId, name, topic, payload, lower, expiresAt, contentType, responseTopic);
    c.settlement.set(settlement.get());
    return c;
  }

  /** What settling this command does (the consumer releases its offset); set before delivery. */
  public void onSettled(Runnable action) {
    settlement.set(action);
  }

  /** Runs the settlement hook the first time only. Any thread. */
  public void settle() {
    Runnable r = settlement.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  /** True while the consumer still waits for this command's settlement. */
  public boolean unsettled() {
    return settlement.get() != null;
  }

  JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("deviceId", deviceId)
            .put("name", name)
            .put("topic", topic)
            .put("payload", Base64.getEncoder().encodeToString(payload))
            .put("qos", qos)
            .put("expiresAt", expiresAt);
    if (contentType != null) {
      o.put("contentType", contentType);
    }
    if (responseTopic != null) {
      o.put("responseTopic", responseTopic);
    }
    return o;
  }

  static Command fromJson(JsonObject o) {
    return new Command(
        o.getString("id"),
        o.getString("deviceId"),
        o.getString("name"),
        o.getString("topic"),
        Base64.getDecoder().decode(o.getString("payload")),
        o.getInteger("qos"),
        o.getLong("expiresAt", 0L),
        o.getString("contentType"),
        o.getString("responseTopic"));
  }
}
