package io.edgegate.gateway.ingest.auth;

import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Decides who a CONNECT is: client id rules, the client certificate's identity, the password, and
 * whether anonymous devices are let in. Cheap checks run on the caller's event loop; a password
 * check runs on a small pool of its own with a bounded queue (bcrypt takes tens of milliseconds on
 * purpose), and its outcome comes back on the caller's context. Thread-safe: one for all listener
 * instances.
 */
public final class Authenticator implements AutoCloseable {
  private final MqttConfig config;
  private final Credentials credentials; // null: no password file
  private final Pattern clientIdPattern;
  private final IngestStats stats;
  private final ThreadPoolExecutor checks;

  /** What a CONNECT presents. {@code clientId} null when empty; {@code certificate} verified. */
  public record Request(
      String clientId, String username, byte[] password, X509Certificate certificate) {}

  public Authenticator(MqttConfig config, Credentials credentials, IngestStats stats) {
    this.config = config;
    this.credentials = credentials;
    this.clientIdPattern = Pattern.compile(config.limits.clientIdPattern);
    this.stats = stats;
    int threads = config.auth.effectiveVerifyThreads();
    AtomicInteger n = new AtomicInteger();
    this.checks =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(config.auth.maxPendingVerifications),
            r -> {
              Thread t = new Thread(r, "edgegate-password-check-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Whether anything could let a device in: a password file, certificate identities or anonymous
   * access. Without any, every CONNECT would be refused.
   */
  public static String noWayIn(MqttConfig config) {
    if (config.auth.anonymous
        || config.auth.passwordFile != null
        || config.tls.identifiesDevices()) {
      return null;
    }
    return "mqtt.auth: no device could connect: set mqtt.auth.passwordFile, client certificates"
        + " (mqtt.tls.clientAuth and mqtt.tls.deviceIdFrom), or mqtt.auth.anonymous: true";
  }

  /**
   * The identity of the device behind {@code r}, or a failed future with a {@link
   * RefusedException}. Call on {@code context}'s event loop; the future completes there.
   */
  public Future<DeviceIdentity> authenticate(Request r, Context context) {
    String clientId = r.clientId();
    if (clientId != null && !clientIdPattern.matcher(clientId).matches()) {
      return refused(
          Refusal.CLIENT_ID_INVALID, "client id does not match mqtt.limits.clientIdPattern");
    }
    Map<String, String> cert = Map.of();
    String certId = null;
    if (r.certificate() != null) {
      cert = Map.copyOf(CertificateFields.of(r.certificate(), config.tls.deviceIdFrom));
      if (config.tls.identifiesDevices()) {
        certId = CertificateFields.deviceId(cert, config.tls.deviceIdFrom);
        if (certId == null || certId.isEmpty()) {
          return refused(
              Refusal.NOT_AUTHORIZED,
              "client certificate has no " + config.tls.deviceIdFrom.name().toLowerCase());
        }
      }
    }
    if (r.username() == null) {
      return decide(r, cert, certId, null);
    }
    if (credentials == null || r.password() == null) {
      return refused(Refusal.BAD_CREDENTIALS, "user name without a usable password check");
    }
    Promise<DeviceIdentity> promise = Promise.promise();
    Map<String, String> certFields = cert;
    String certIdentity = certId;
    try {
      checks.execute(
          () -> {
            long start = System.nanoTime();
            boolean ok = credentials.verify(r.username(), r.password());
            stats.passwordChecked(System.nanoTime() - start);
            context.runOnContext(
                v -> {
                  if (ok) {
                    decide(r, certFields, certIdentity, r.username()).onComplete(promise);
                  } else {
                    promise.fail(
                        new RefusedException(Refusal.BAD_CREDENTIALS, "bad user name or password"));
                  }
                });
          });
    } catch (RejectedExecutionException e) {
      return refused(
          Refusal.SERVER_BUSY,
          config.auth.maxPendingVerifications + " password checks already waiting");
    }
    return promise.future();
  }

  private Future<DeviceIdentity> decide(
      Request r, Map<String, String> cert, String certId, String username) {
    String identity = certId != null ? certId : username;
    if (identity == null && !config.auth.anonymous) {
      return refused(Refusal.NOT_AUTHORIZED, "no credentials and anonymous access is off");
    }
    String clientId = r.clientId();
    boolean assigned = false;
    if (identity != null && config.auth.clientIdMustMatch) {
      if (clientId == null) {
        clientId = identity;
        assigned = true;
      } else if (!clientId.equals(identity)) {
        return refused(Refusal.CLIENT_ID_INVALID, "client id is not the authenticated identity");
      }
    }
    if (clientId == null) {
      clientId = UUID.randomUUID().toString();
      assigned = true;
    }
    if (!clientIdPattern.matcher(clientId).matches()
        || clientId.length() > config.maxClientIdLength) {
      return refused(
          Refusal.CLIENT_ID_INVALID,
          "identity is not a valid client id (mqtt.limits.clientIdPattern)");
    }
    return Future.succeededFuture(new DeviceIdentity(clientId, username, identity, cert, assigned));
  }

  private static Future<DeviceIdentity> refused(Refusal refusal, String why) {
    return Future.failedFuture(new RefusedException(refusal, why));
  }

  /** Password checks waiting or running (for tests and gauges). */
  public int pendingChecks() {
    return checks.getQueue().size() + checks.getActiveCount();
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
