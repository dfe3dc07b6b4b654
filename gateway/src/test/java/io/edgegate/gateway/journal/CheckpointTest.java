package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint never passes the last entry the reader handed on. */
class CheckpointTest {
  @TempDir Path dir;

  @Test
  void anIndexTheReaderDidNotHandOnIsRefused() throws Exception {
    try (Checkpoint checkpoint = Checkpoint.open(dir.resolve(Checkpoint.FILE_NAME))) {
      checkpoint.advance(100); // before a reader runs: start-up repairs, Kafka's committed position
      assertThat(checkpoint.index()).isEqualTo(100);

      checkpoint.handedOut(105);
      checkpoint.advance(107);
      assertThat(checkpoint.index()).as("refused").isEqualTo(100);
      checkpoint.advance(105);
      assertThat(checkpoint.index()).isEqualTo(105);
      assertThat(checkpoint.indexSeenByOthers()).isEqualTo(105);
    }
    try (Checkpoint reopened = Checkpoint.open(dir.resolve(Checkpoint.FILE_NAME))) {
      assertThat(reopened.index()).isEqualTo(105);
    }
  }
}
