package io.edgegate.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetsTest {
  private final TopicPartition p0 = new TopicPartition("cmd", 0);

  @Test
  void commitsUpToTheLowestUnsettledOffset() {
    Offsets o = new Offsets();
    o.taken(p0, 10);
    o.taken(p0, 11);
    o.taken(p0, 12);
    assertThat(o.toCommit().get(p0)).isEqualTo(new OffsetAndMetadata(10));
    o.settled(p0, 11);
    o.settled(p0, 12);
    assertThat(o.toCommit().get(p0).offset()).as("10 still open").isEqualTo(10);
    assertThat(o.unsettled()).isEqualTo(1);
    o.settled(p0, 10);
    var due = o.toCommit();
    assertThat(due.get(p0).offset()).isEqualTo(13);
    o.committed(due);
    assertThat(o.toCommit()).as("nothing moved").isEmpty();
  }

  @Test
  void aRevokedPartitionNoLongerCounts() {
    Offsets o = new Offsets();
    o.taken(p0, 1);
    o.revoked(p0);
    assertThat(o.unsettled()).isZero();
    o.settled(p0, 1);
    assertThat(o.toCommit()).isEmpty();
  }
}
