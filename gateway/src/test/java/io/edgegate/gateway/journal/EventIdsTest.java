package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

  @Test
  void idsAreVersion7AndStrictlyIncreasingWithinOneMillisecond() {
    EventIds ids =
        new EventIds(Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
    UUID previous = ids.next();
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) { // more than the 4096 counter values of one millisecond
      UUID id = ids.next();
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(
              Long.compareUnsigned(id.getMostSignificantBits(), previous.getMostSignificantBits()))
          .isPositive();
      assertThat(seen.add(id)).isTrue();
      previous = id;
    }
  }

  @Test
  void idCarriesTheMillisecondTimestamp() {
    long now = 1_700_000_123_456L;
    UUID id = new EventIds(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC)).next();
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now);
  }
}
