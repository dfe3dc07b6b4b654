package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.config.TestCerts;
import io.edgegate.gateway.ingest.auth.PasswordFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped examples pass {@code config check} once the files they name exist (as the install
 * sequence creates them), and name what is missing before.
 */
class ShippedConfigsCheckTest {
  @TempDir Path dir;

  private Path installed(String name) throws Exception {
    String yaml = Files.readString(Path.of("..", "config", name));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        yaml.replace("/etc/edgegate", etc.toString())
            .replace("/var/lib/edgegate", dir.resolve("var").toString()));
    return file;
  }

  private void createTheirFiles() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("etc/tls"));
    TestCerts.Issued server = TestCerts.server(TestCerts.ca("ca"));
    server.writeCert(tls.resolve("server.crt"));
    server.writeKey(tls.resolve("server.key"));
    PasswordFile.empty().with("dev-0001", "pw".toCharArray(), 4).write(dir.resolve("etc/passwd"));
  }

  private static final Map<String, String> LOGIN =
      Map.of(
          "EDGEGATE_KAFKA_PRODUCER__SASL_JAAS_CONFIG",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
              + " password=\"p\";");

  @Test
  void productionAndRaspberryPiPassOnceTheirFilesExist() throws Exception {
    for (String name : List.of("production.yaml", "raspberry-pi.yaml")) {
      Path file = installed(name);
      assertThatThrownBy(() -> ConfigCheck.loadChecked(file, LOGIN))
          .as(name)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("mqtt.tls.certFile: ")
          .hasMessageContaining("mqtt.tls.keyFile: ")
          .hasMessageContaining("mqtt.auth.passwordFile: ");
    }
    createTheirFiles();
    for (String name : List.of("production.yaml", "raspberry-pi.yaml")) {
      Path file = installed(name);
      assertThat(ConfigCheck.loadChecked(file, LOGIN)).as(name).isNotNull();
      assertThatThrownBy(() -> ConfigCheck.loadChecked(file, Map.of()))
          .as(name + " without its Kafka login")
          .hasMessageContaining("kafka.producer.sasl.jaas.config: security.protocol is SASL_SSL");
    }
  }
}
