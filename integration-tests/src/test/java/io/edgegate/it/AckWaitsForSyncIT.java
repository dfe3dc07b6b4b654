package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acknowledgement rule with the fsync under the test's control: a real gateway whose journal
 * syncs through a {@link JournalWriter.Syncer} the test holds or fails, and a device on a raw
 * socket that sees every packet the gateway sends. No PUBACK or PUBREC may arrive while the sync
 * that covers its event is held, and a sync that fails is answered with a refusal, never with a
 * successful acknowledgement.
 */
@ExtendWith(GatewayHygiene.class)
class AckWaitsForSyncIT {
  private static final int CONNACK = 0x20;
  private static final int PUBACK = 0x40;
  private static final int PUBREC = 0x50;

  @TempDir Path gwDir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  @ParameterizedTest
  @EnumSource(
      value = JournalConfig.Sync.class,
      names = {"BATCH", "ALWAYS"})
  void noPubackOrPubrecLeavesBeforeTheSyncReturns(JournalConfig.Sync sync) throws Exception {
    HeldSync held = new HeldSync();
    try (TestGateway gw = start(sync)) {
      gw.gateway.journal().writer().syncer(held);
      try (RawMqtt device = connected(gw, 4, "held-311");
          RawMqtt device5 = connected(gw, 5, "held-5")) {
        device.send(
            RawMqtt.publish(4, RawMqtt.utf8("devices/held-311/t"), 1, 1, RawMqtt.utf8("{}")),
            RawMqtt.publish(4, RawMqtt.utf8("devices/held-311/t"), 2, 2, RawMqtt.utf8("{}")));
        device5.send(
            RawMqtt.publish(5, RawMqtt.utf8("devices/held-5/t"), 1, 3, RawMqtt.utf8("{}")),
            RawMqtt.publish(5, RawMqtt.utf8("devices/held-5/t"), 2, 4, RawMqtt.utf8("{}")));
        assertThat(held.entered.await(30, TimeUnit.SECONDS)).as("a sync started").isTrue();

        // The writer is inside the held sync (later appends queue behind it): nothing may leave.
        assertThat(device.readPacketOrNull(1000)).as("3.1.1: no ack while held").isNull();
        assertThat(device5.readPacketOrNull(200)).as("5: no ack while held").isNull();

        held.release.countDown();
        List<byte[]> acks = new ArrayList<>();
        acks.add(device.readPacket(30_000));
        acks.add(device.readPacket(30_000));
        acks.add(device5.readPacket(30_000));
        acks.add(device5.readPacket(30_000));
        assertThat(held.returned).as("acknowledged only after a sync returned").isTrue();
        assertThat(acks)
            .extracting(p -> p[0] & 0xff, RawMqtt::packetId)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(PUBACK, 1),
                org.assertj.core.groups.Tuple.tuple(PUBREC, 2),
                org.assertj.core.groups.Tuple.tuple(PUBACK, 3),
                org.assertj.core.groups.Tuple.tuple(PUBREC, 4));
        for (byte[] ack : acks.subList(2, 4)) {
          // MQTT 5: a reason code, when present, is success (0x00).
          assertThat(ack.length <= 3 || ack[3] == 0).as("MQTT 5 success reason").isTrue();
        }
      }
    } finally {
      held.release.countDown();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = JournalConfig.Sync.class,
      names = {"BATCH", "ALWAYS"})
  // The test makes the journal's sync fail.
  @ExpectedLogs("^Journal sync failed; devices are not acknowledged")
  void aFailingSyncRefusesInsteadOfAcknowledging(JournalConfig.Sync sync) throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    try (TestGateway gw = start(sync)) {
      gw.gateway
          .journal()
          .writer()
          .syncer(
              fsync -> {
                syncs.incrementAndGet();
                throw new IllegalStateException("the disk refused the fsync");
              });
      try (RawMqtt device5 = connected(gw, 5, "fail-5")) {
        device5.send(
            RawMqtt.publish(5, RawMqtt.utf8("devices/fail-5/t"), 1, 1, RawMqtt.utf8("{}")));
        byte[] puback = device5.readPacket(30_000);
        assertThat(puback[0] & 0xff).isEqualTo(PUBACK);
        assertThat(RawMqtt.packetId(puback)).isEqualTo(1);
        assertThat(puback.length).as("MQTT 5 refusal carries a reason code").isGreaterThan(3);
        assertThat(puback[3] & 0xff).as("0x83 implementation specific error").isEqualTo(0x83);

        device5.send(
            RawMqtt.publish(5, RawMqtt.utf8("devices/fail-5/t"), 2, 2, RawMqtt.utf8("{}")));
        byte[] pubrec = device5.readPacket(30_000);
        assertThat(pubrec[0] & 0xff).isEqualTo(PUBREC);
        assertThat(RawMqtt.packetId(pubrec)).isEqualTo(2);
        assertThat(pubrec.length).isGreaterThan(3);
        assertThat(pubrec[3] & 0xff).as("a reason code >= 0x80 ends the exchange").isEqualTo(0x83);
      }
      try (RawMqtt device = connected(gw, 4, "fail-311")) {
        device.send(
            RawMqtt.publish(4, RawMqtt.utf8("devices/fail-311/t"), 1, 1, RawMqtt.utf8("{}")));
        // MQTT 3.1.1 has no negative acknowledgement: the connection closes, with no PUBACK
        // before the close, and the device sends the event again.
        assertThat(device.readPacketOrNull(30_000)).as("closed with no PUBACK").isNull();
        assertThat(device.closedWithin(30_000)).isTrue();
      }
      assertThat(syncs.get()).isPositive();
    }
  }

  private TestGateway start(JournalConfig.Sync sync) {
    var config = TestGateway.config(gwDir, kafka.bootstrapServers());
    config.journal.sync = sync;
    return TestGateway.start(config);
  }

  private static RawMqtt connected(TestGateway gw, int level, String clientId) throws Exception {
    RawMqtt device = RawMqtt.open(gw.mqttPort());
    device.send(RawMqtt.connect(level, clientId, 60));
    byte[] connack = device.readPacket(10_000);
    assertThat(connack[0] & 0xff).isEqualTo(CONNACK);
    return device;
  }

  /** Holds every sync until released; notes that one returned. */
  private static final class HeldSync implements JournalWriter.Syncer {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean returned = new AtomicBoolean();

    @Override
    public void sync(Runnable fsync) {
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      fsync.run();
      returned.set(true);
    }
  }
}
