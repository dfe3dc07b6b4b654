package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code mqtt.auth.*}: who may connect. A device authenticates with a client certificate (see
 * {@code mqtt.tls.deviceIdFrom}), with a user name and password from {@code passwordFile}, or not
 * at all when {@code anonymous} is true. Nothing else gets in: with none of these configured, the
 * gateway refuses to start (no device could connect).
 */
public final class MqttAuthConfig {
  @KeyDoc(
      "Accept devices that present neither a certificate identity nor a user name. Off "
          + "unless set: the demo turns it on; production should not.")
  public boolean anonymous = false;

  @KeyDoc(
      "`user:hash` lines, the hash bcrypt (`$2a$`, `$2b$`, `$2y$`; what `edgegate "
          + "passwd` and `htpasswd -B` write). Read at start (a missing or bad file stops the"
          + " start) and again whenever it changes; a bad edit keeps the previous entries.")
  public Path passwordFile;

  @KeyDoc("How often `passwordFile` is checked for changes.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration reloadInterval = Duration.ofSeconds(5);

  @KeyDoc(
      value =
          "Threads that check passwords (bcrypt is slow on purpose and never runs on an "
              + "event loop); 0: half the cores, at least one.",
      unit = "threads")
  public int verifyThreads = 0;

  @KeyDoc(
      value =
          "CONNECTs that may wait for a password check; beyond that a device is refused as "
              + "busy (MQTT 5 0x89, 3.1.1 0x03) and tries again later, so a connection storm "
              + "cannot queue unbounded work.",
      unit = "CONNECTs")
  public int maxPendingVerifications = 64;

  @KeyDoc(
      "The MQTT client id must equal the authenticated identity (the user name, or the "
          + "certificate's id): one device's credentials cannot take over another device's "
          + "session or topics.")
  public boolean clientIdMustMatch = true;

  void validate(Problems problems) {
    problems.require(
        reloadInterval != null && reloadInterval.toMillis() >= 100,
        "mqtt.auth.reloadInterval",
        "must be at least 100ms");
    problems.require(
        verifyThreads >= 0 && verifyThreads <= 64,
        "mqtt.auth.verifyThreads",
        "must be from 0 (half the cores) to 64 (was " + verifyThreads + ")");
    problems.require(
        maxPendingVerifications >= 1 && maxPendingVerifications <= 100_000,
        "mqtt.auth.maxPendingVerifications",
        "must be from 1 to 100000 (was " + maxPendingVerifications + ")");
  }

  /** The number of password-checking threads to start. */
  public int effectiveVerifyThreads() {
    return verifyThreads > 0
        ? verifyThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }
}
