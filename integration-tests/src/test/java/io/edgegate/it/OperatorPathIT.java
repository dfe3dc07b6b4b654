package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code integration-tests/operator-path}: the documented install of the distribution tarball
 * (docs/operations.md) end to end, as root, as the service user, with TLS, a password, a real
 * Prometheus and the systemd unit's start line; then checks that the device's events are in Kafka.
 * Skipped, with the script's reason, where a tool is missing or the build is not root.
 */
@ExtendWith(GatewayHygiene.class)
class OperatorPathIT {
  private static final Path SCRIPT = Distribution.ROOT.resolve("integration-tests/operator-path");
  private static final int SKIPPED = 3;

  @TempDir Path dir;

  @Test
  void theDocumentedInstallStartsAndADeviceGetsThroughToKafkaAndPrometheus() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      // The service user must reach the installation, as it reaches /opt and /etc.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path work = Files.createDirectories(dir.resolve("work"));
      Path log = dir.resolve("operator-path.log");
      Process script =
          new ProcessBuilder(
                  "bash",
                  SCRIPT.toString(),
                  Distribution.tarball().toString(),
                  kafka.bootstrapServers(),
                  work.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      // About a minute on an idle box; the first clean stop of an installation writes the class
      // data archive (~60 MB), which takes far longer on a loaded one.
      boolean finished = script.waitFor(240, TimeUnit.SECONDS);
      if (!finished) {
        script.descendants().forEach(ProcessHandle::destroy);
        script.destroy();
        script.waitFor(30, TimeUnit.SECONDS);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(finished).as("operator-path within 240 s:\n" + out).isTrue();
      Assumptions.assumeFalse(script.exitValue() == SKIPPED, out);
      assertThat(script.exitValue()).as(out).isZero();

      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(), "edgegate.events", 5, Duration.ofSeconds(30));
      assertThat(records).hasSize(5).allSatisfy(r -> assertThat(r.key()).isEqualTo("dev-0001"));
    }
  }
}
