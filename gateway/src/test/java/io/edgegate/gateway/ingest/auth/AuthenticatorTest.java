package io.edgegate.gateway.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> checkThreads = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Authenticator authenticator(MqttConfig config, PasswordFile passwords) {
    IngestStats stats =
        new IngestStats() {
          @Override
          public void passwordChecked(long nanos) {
            checkThreads.add(Thread.currentThread().getName());
          }
        };
    return new Authenticator(config, passwords == null ? null : Credentials.of(passwords), stats);
  }

  /** Runs the check on an event loop, as the listener does, and returns its outcome there. */
  private Object outcome(Authenticator a, Authenticator.Request r) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    List<Object> out = new ArrayList<>();
    List<Boolean> onLoop = new ArrayList<>();
    Future<Object> f =
        Future.future(
            p ->
                ctx.runOnContext(
                    v ->
                        a.authenticate(r, ctx)
                            .onComplete(
                                ar -> {
                                  onLoop.add(Context.isOnEventLoopThread());
                                  p.complete(ar.succeeded() ? ar.result() : ar.cause());
                                })));
    out.add(f.await(10, TimeUnit.SECONDS));
    assertThat(onLoop).as("outcome delivered on the event loop").containsExactly(true);
    return out.get(0);
  }

  private static Authenticator.Request req(String clientId, String user, String password) {
    return new Authenticator.Request(
        clientId, user, password == null ? null : password.getBytes(StandardCharsets.UTF_8), null);
  }

  private static Refusal refusal(Object outcome) {
    assertThat(outcome).isInstanceOf(RefusedException.class);
    return ((RefusedException) outcome).refusal();
  }

  @Test
  void passwordsAreCheckedOffTheEventLoopAndEachRefusalHasItsReason() throws Exception {
    MqttConfig c = new MqttConfig();
    PasswordFile pw = PasswordFile.empty().with("dev-1", "right".toCharArray(), 4);
    try (Authenticator a = authenticator(c, pw)) {
      DeviceIdentity ok = (DeviceIdentity) outcome(a, req("dev-1", "dev-1", "right"));
      assertThat(ok.identity()).isEqualTo("dev-1");
      assertThat(ok.username()).isEqualTo("dev-1");
      assertThat(checkThreads).isNotEmpty().allMatch(t -> t.startsWith("edgegate-password-check"));

      assertThat(refusal(outcome(a, req("dev-1", "dev-1", "wrong"))))
          .isEqualTo(Refusal.BAD_CREDENTIALS);
      assertThat(refusal(outcome(a, req("dev-1", "nobody", "right"))))
          .isEqualTo(Refusal.BAD_CREDENTIALS);
      assertThat(refusal(outcome(a, req("dev-1", "dev-1", null))))
          .isEqualTo(Refusal.BAD_CREDENTIALS);
      assertThat(refusal(outcome(a, req("dev-1", null, null))))
          .as("anonymous is off by default")
          .isEqualTo(Refusal.NOT_AUTHORIZED);
      assertThat(refusal(outcome(a, req("dev-2", "dev-1", "right"))))
          .as("another device's credentials")
          .isEqualTo(Refusal.CLIENT_ID_INVALID);
      assertThat(refusal(outcome(a, req("dev/1", "dev-1", "right"))))
          .as("client id rules first")
          .isEqualTo(Refusal.CLIENT_ID_INVALID);
      DeviceIdentity assigned = (DeviceIdentity) outcome(a, req(null, "dev-1", "right"));
      assertThat(assigned.clientId()).isEqualTo("dev-1");
      assertThat(assigned.assignedClientId()).isTrue();
    }
  }

  @Test
  void anonymousDevicesOnlyWhenEnabledAndGetAClientIdWhenTheySendNone() throws Exception {
    MqttConfig c = new MqttConfig();
    c.auth.anonymous = true;
    try (Authenticator a = authenticator(c, null)) {
      DeviceIdentity anon = (DeviceIdentity) outcome(a, req(null, null, null));
      assertThat(anon.anonymous()).isTrue();
      assertThat(anon.assignedClientId()).isTrue();
      assertThat(anon.clientId()).hasSize(36);
      assertThat(refusal(outcome(a, req("x", "user", "pw"))))
          .as("credentials without a password file")
          .isEqualTo(Refusal.BAD_CREDENTIALS);
    }
    assertThat(Authenticator.noWayIn(new MqttConfig())).contains("mqtt.auth");
    assertThat(Authenticator.noWayIn(c)).isNull();
  }

  @Test
  void aFullCheckQueueRefusesAsBusyInsteadOfQueueingWithoutBound() throws Exception {
    MqttConfig c = new MqttConfig();
    c.auth.verifyThreads = 1;
    c.auth.maxPendingVerifications = 1;
    PasswordFile pw = PasswordFile.empty().with("d", "p".toCharArray(), 12); // ~250 ms a check
    try (Authenticator a = authenticator(c, pw)) {
      Context ctx = vertx.getOrCreateContext();
      List<Future<DeviceIdentity>> all = new CopyOnWriteArrayList<>();
      Future.<Void>future(
              p ->
                  ctx.runOnContext(
                      v -> {
                        for (int i = 0; i < 5; i++) {
                          all.add(a.authenticate(req("d", "d", "p"), ctx));
                        }
                        p.complete();
                      }))
          .await(5, TimeUnit.SECONDS);
      Future.join(new ArrayList<>(all))
          .transform(ar -> Future.succeededFuture())
          .await(30, TimeUnit.SECONDS);
      long busy =
          all.stream()
              .filter(
                  f ->
                      f.failed() && ((RefusedException) f.cause()).refusal() == Refusal.SERVER_BUSY)
              .count();
      assertThat(busy).isEqualTo(3); // one running, one queued, three refused
      assertThat(all.stream().filter(Future::succeeded).count()).isEqualTo(2);
    }
  }
}
