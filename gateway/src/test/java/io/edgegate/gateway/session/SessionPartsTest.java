package io.edgegate.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parts of a session: their bounds, and that each is used only under its session's lock. */
class SessionPartsTest {
  private final Object lock = new Object();

  private static Command command(String id, int qos) {
    return new Command(id, "d", "n", "devices/d/commands/n", new byte[0], qos, 0, null, null);
  }

  @Test
  void aPartUsedWithoutItsSessionsLockFailsTheAssertion() {
    assertThatThrownBy(() -> new DeliveredIds(lock).contains("x"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> new InboundQos2Ids(lock).count()).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> new SessionSubscriptions(lock).grantedQos("t"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> new PendingCommands(lock).size()).isInstanceOf(AssertionError.class);
    assertThat(SessionJson.write(new Session("c", true, 1)).getString("clientId"))
        .as("the file form takes the session's lock itself")
        .isEqualTo("c");
  }

  @Test
  void inboundIdsOverTheWindowForgetTheOldest() {
    synchronized (lock) {
      InboundQos2Ids ids = new InboundQos2Ids(lock);
      ids.pending(1, 10, 7, 2);
      ids.pending(2, 20, 7, 2);
      ids.pending(3, 30, 7, 2);
      assertThat(ids.count()).isEqualTo(2);
      assertThat(ids.classify(1, 10, false, 7)).isEqualTo(Session.Inbound.NEW);
      assertThat(ids.classify(2, 20, false, 7)).isEqualTo(Session.Inbound.PENDING);
      assertThat(ids.classify(2, 20, true, 8)).isEqualTo(Session.Inbound.PENDING_ELSEWHERE);
      ids.journaled(2, true);
      assertThat(ids.classify(2, 20, true, 8)).isEqualTo(Session.Inbound.JOURNALED);
      ids.journaled(3, false);
      assertThat(ids.count()).as("a refused append is forgotten").isEqualTo(1);
      assertThat(ids.released(2)).isTrue();
      assertThat(ids.released(2)).isFalse();
    }
  }

  @Test
  void deliveredIdsKeepTheNewestWithinTheBound() {
    synchronized (lock) {
      DeliveredIds ids = new DeliveredIds(lock);
      ids.add("a", 2);
      ids.add("b", 2);
      ids.add("a", 2); // a becomes the newest
      ids.add("c", 2);
      assertThat(ids.view()).containsExactly("a", "c");
    }
  }

  @Test
  void packetIdsWrapAndSkipThoseInFlight() {
    synchronized (lock) {
      PendingCommands p = new PendingCommands(lock);
      p.restoreNextPacketId(65534);
      assertThat(p.sending(command("a", 1))).isEqualTo(65534);
      assertThat(p.sending(command("b", 1))).isEqualTo(65535);
      assertThat(p.sending(command("c", 1))).isEqualTo(1);
      p.restoreNextPacketId(65535);
      assertThat(p.sending(command("d", 1))).as("65535 and 1 are in flight").isEqualTo(2);
      assertThat(p.received(1)).as("PUBREC of a QoS 1 command").isFalse();
      assertThat(p.acknowledged(65535).id()).isEqualTo("b");
      assertThat(p.holds("c")).isTrue();
      assertThat(p.holds("b")).isFalse();
    }
  }

  @Test
  void subscriptionsAreBoundedButReplacingOneIsAlwaysAllowed() {
    synchronized (lock) {
      SessionSubscriptions s = new SessionSubscriptions(lock);
      assertThat(s.subscribe("a/#", 1, 1)).isTrue();
      assertThat(s.subscribe("b/#", 1, 1)).isFalse();
      assertThat(s.subscribe("a/#", 2, 1)).isTrue();
      assertThat(s.grantedQos("a/x")).isEqualTo(2);
      assertThat(s.grantedQos("b/x")).isEqualTo(-1);
    }
  }
}
