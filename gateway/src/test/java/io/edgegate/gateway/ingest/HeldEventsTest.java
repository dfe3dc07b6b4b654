package io.edgegate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.journal.JournalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HeldEventsTest {
  private static HeldEvents.Publish publish(int packetId) {
    JournalEvent e =
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            UUID.randomUUID(),
            0,
            1,
            "d",
            "devices/d/t",
            null,
            List.of(),
            new byte[] {(byte) packetId});
    return new HeldEvents.Publish(e, 1, packetId, 0);
  }

  @Test
  void aCallFromAnotherThreadThanTheConnectionsFails() throws Exception {
    HeldEvents held = new HeldEvents(5);
    assertThat(held.hold(publish(1))).isTrue();
    java.util.concurrent.CompletableFuture<Throwable> thrown =
        new java.util.concurrent.CompletableFuture<>();
    Thread other =
        new Thread(
            () -> {
              try {
                held.hold(publish(2));
                thrown.complete(null);
              } catch (Throwable e) {
                thrown.complete(e);
              }
            });
    other.start();
    assertThat(thrown.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .as("confined to the connection's event loop (-ea)")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void heldEventsAreReleasedInOrderAndTheConfiguredBoundIsKept() {
    int max = 50; // mqtt.limits.maxHeldEvents
    HeldEvents held = new HeldEvents(max);
    for (int i = 1; i <= max; i++) {
      assertThat(held.hold(publish(i))).isTrue();
    }
    assertThat(held.hold(publish(0))).as("over the bound: the caller closes").isFalse();
    List<Integer> appended = new ArrayList<>();
    held.release(p -> appended.add(p.packetId()));
    assertThat(appended).hasSize(max).startsWith(1, 2, 3).endsWith(max);
    assertThat(held.isEmpty()).isTrue();
  }

  @Test
  void aBoundBelowOneIsAProgrammingError() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new HeldEvents(0));
  }

  @Test
  // In a thread of its own: a spinning loop would not notice an interrupt.
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anEventTheJournalRefusesAgainAtOnceStopsTheReleaseAndStaysFirst() {
    HeldEvents held = new HeldEvents(1024);
    held.hold(publish(1));
    held.hold(publish(2));
    held.hold(publish(3));
    List<Integer> tried = new ArrayList<>();
    // The journal is still full: its append fails on this thread and the event is held again.
    held.release(
        p -> {
          tried.add(p.packetId());
          held.hold(p);
        });
    assertThat(tried).as("tried once, not again and again").containsExactly(1);
    List<Integer> order = new ArrayList<>();
    held.release(p -> order.add(p.packetId()));
    assertThat(order).as("the device's order is kept").containsExactly(1, 2, 3);
  }
}
