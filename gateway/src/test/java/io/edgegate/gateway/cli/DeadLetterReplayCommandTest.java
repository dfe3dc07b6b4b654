package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DeadLetterReplayCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir Path dir;

  @Test
  void timesAreInstantsOrDurationsAgo() {
    assertThat(DeadLetterReplayCommand.time(null, "--since", clock)).isNull();
    assertThat(DeadLetterReplayCommand.time("2026-12-06T10:15:00Z", "--since", clock))
        .isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
    assertThat(DeadLetterReplayCommand.time("2h", "--since", clock))
        .isEqualTo(NOW.minusSeconds(7200));
    assertThatThrownBy(() -> DeadLetterReplayCommand.time("yesterday", "--until", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--until 'yesterday' is neither");
  }

  @Test
  void badFiltersAreUsageErrorsBeforeKafkaIsAsked() throws Exception {
    Path config = dir.resolve("g.yaml");
    Files.writeString(config, "kafka: {bootstrapServers: 'nowhere.invalid:9092'}\n");
    for (String[] args :
        new String[][] {
          {"--since", "yesterday"}, {"--since", "1h", "--until", "2h"}, {"--timeout", "0s"}
        }) {
      CommandLine cl = EdgeGateCommand.commandLine();
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err));
      cl.setOut(new PrintWriter(new StringWriter()));
      String[] all = new String[args.length + 4];
      all[0] = "deadletter";
      all[1] = "replay";
      all[2] = "--config";
      all[3] = config.toString();
      System.arraycopy(args, 0, all, 4, args.length);
      assertThat(cl.execute(all)).as(err.toString()).isEqualTo(EdgeGateCommand.EXIT_CONFIG);
    }
  }
}
