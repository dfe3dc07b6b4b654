package io.edgegate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentPublishesTest {

  @Test
  void aRedeliveryIsTheSamePacketIdWithTheSameContent() {
    RecentPublishes r = new RecentPublishes(64, 10);
    r.journaled("dev-1", 7, 111L);
    assertThat(r.isRedelivery("dev-1", 7, 111L)).isTrue();
    assertThat(r.isRedelivery("dev-1", 7, 222L)).as("other content").isFalse();
    assertThat(r.isRedelivery("dev-1", 8, 111L)).as("other packet id").isFalse();
    assertThat(r.isRedelivery("dev-2", 7, 111L)).as("other device").isFalse();
  }

  @Test
  void keepsTheLastPerDevicePacketsAndAPacketIdJournaledAgainTakesTheNewContent() {
    RecentPublishes r = new RecentPublishes(64, 10);
    for (int id = 1; id <= 100; id++) {
      r.journaled("dev-1", id, id * 10L);
    }
    for (int id = 1; id <= 36; id++) {
      assertThat(r.isRedelivery("dev-1", id, id * 10L)).as("forgotten: %d", id).isFalse();
    }
    for (int id = 37; id <= 100; id++) {
      assertThat(r.isRedelivery("dev-1", id, id * 10L)).as("kept: %d", id).isTrue();
    }
    r.journaled("dev-1", 50, 5L); // reused packet id, new content: in place, nothing forgotten
    assertThat(r.isRedelivery("dev-1", 50, 5L)).isTrue();
    assertThat(r.isRedelivery("dev-1", 50, 500L)).isFalse();
    assertThat(r.isRedelivery("dev-1", 37, 370L)).isTrue();
    r.journaled("dev-1", 101, 1010L); // overwrites the oldest, 37
    assertThat(r.isRedelivery("dev-1", 37, 370L)).isFalse();
    assertThat(r.isRedelivery("dev-1", 38, 380L)).isTrue();
    assertThat(r.isRedelivery("dev-1", 101, 1010L)).isTrue();
  }

  @Test
  void forgetsTheLeastRecentlyActiveDevicesFirst() {
    RecentPublishes r = new RecentPublishes(4, 2);
    r.journaled("a", 1, 1L);
    r.journaled("b", 1, 1L);
    assertThat(r.isRedelivery("a", 1, 1L)).isTrue(); // a is now the most recent
    r.journaled("c", 1, 1L);
    assertThat(r.isRedelivery("b", 1, 1L)).isFalse();
    assertThat(r.isRedelivery("a", 1, 1L)).isTrue();
    assertThat(r.isRedelivery("c", 1, 1L)).isTrue();
  }
}
