package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.TestCerts;
import io.edgegate.gateway.ingest.auth.PasswordFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code config check} and {@code run} refuse the same configurations, before anything starts, with
 * exit code 2 and one line naming the key (no stack trace); an empty section means defaults.
 */
class ConfigCheckCommandTest {
  @TempDir Path dir;

  /** A configuration both commands accept; each case changes one thing. */
  private static final String BASE =
      """
      gateway:
        dataDir: {DIR}/data
      kafka:
        bootstrapServers: kafka-1:9093
      mqtt:
        host: 127.0.0.1
        port: 0
        auth:
          passwordFile: {PASSWD}
      """;

  private static final String TLS =
      """
      gateway:
        dataDir: {DIR}/data
      kafka:
        bootstrapServers: kafka-1:9093
      mqtt:
        host: 0.0.0.0
        port: 0
        tls:
          enabled: true
          certFile: {CERT}
          keyFile: {KEY}
        auth:
          passwordFile: {PASSWD}
      """;

  private record Result(int exit, String out, String err) {}

  @BeforeEach
  void files() throws Exception {
    TestCerts.Issued ca = TestCerts.ca("test-ca");
    TestCerts.Issued server = TestCerts.server(ca);
    server.writeCert(dir.resolve("server.crt"));
    server.writeKey(dir.resolve("server.key"));
    TestCerts.server(ca).writeKey(dir.resolve("other.key"));
    ca.writeCert(dir.resolve("ca.crt"));
    PasswordFile.empty().with("dev-1", "secret".toCharArray(), 4).write(dir.resolve("passwd"));
    Files.writeString(dir.resolve("garbage"), "this is no certificate\n");
    Files.createDirectories(dir.resolve("a-directory"));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(
            "missing certificate",
            TLS.replace("{CERT}", "{DIR}/missing.crt"),
            "mqtt.tls.certFile: {DIR}/missing.crt: file not found"),
        Arguments.of(
            "missing key",
            TLS.replace("{KEY}", "{DIR}/missing.key"),
            "mqtt.tls.keyFile: {DIR}/missing.key: file not found"),
        Arguments.of(
            "key of another certificate",
            TLS.replace("{KEY}", "{DIR}/other.key"),
            "mqtt.tls.keyFile: {DIR}/other.key: is not the private key of the first certificate"),
        Arguments.of(
            "certificate file without a certificate",
            TLS.replace("{CERT}", "{DIR}/garbage"),
            "mqtt.tls.certFile: {DIR}/garbage: "),
        Arguments.of(
            "key file without a key",
            TLS.replace("{KEY}", "{DIR}/garbage"),
            "mqtt.tls.keyFile: {DIR}/garbage: not a usable PEM private key"),
        Arguments.of(
            "certificate path is a directory",
            TLS.replace("{CERT}", "{DIR}/a-directory"),
            "mqtt.tls.certFile: {DIR}/a-directory: is a directory"),
        Arguments.of(
            "client CA missing",
            TLS.replace(
                "    keyFile: {KEY}\n",
                "    keyFile: {KEY}\n    clientAuth: required\n    clientCaFile: {DIR}/nope.crt\n"),
            "mqtt.tls.clientCaFile: {DIR}/nope.crt: file not found"),
        Arguments.of(
            "missing password file",
            BASE.replace("{PASSWD}", "{DIR}/missing-passwd"),
            "mqtt.auth.passwordFile: {DIR}/missing-passwd: file not found"),
        Arguments.of(
            "password file that is not bcrypt",
            BASE.replace("{PASSWD}", "{DIR}/garbage"),
            "mqtt.auth.passwordFile: {DIR}/garbage: line 1"),
        Arguments.of(
            "no way for a device to authenticate",
            BASE.replace("    passwordFile: {PASSWD}\n", "    anonymous: false\n"),
            "mqtt.auth: no device could connect"),
        Arguments.of(
            "plain TCP on a public address not chosen",
            BASE.replace("host: 127.0.0.1", "host: 0.0.0.0"),
            "mqtt.tls.enabled: must be set when mqtt.host (0.0.0.0) is not a loopback address"),
        Arguments.of(
            "SASL without a login",
            BASE.replace(
                "kafka-1:9093\n", "kafka-1:9093\n  producer:\n    security.protocol: SASL_SSL\n"),
            "kafka.producer.sasl.jaas.config: security.protocol is SASL_SSL and there is no"
                + " usable login"),
        Arguments.of(
            "a masked login as config print writes it",
            BASE.replace(
                "kafka-1:9093\n",
                "kafka-1:9093\n  producer:\n    security.protocol: SASL_PLAINTEXT\n"
                    + "    sasl.jaas.config: '******'\n"),
            "kafka.producer.sasl.jaas.config: "),
        Arguments.of(
            "missing trust store",
            BASE.replace(
                "kafka-1:9093\n",
                "kafka-1:9093\n  producer:\n    security.protocol: SSL\n"
                    + "    ssl.truststore.location: {DIR}/nope.p12\n"),
            "kafka.producer.ssl.truststore.location: {DIR}/nope.p12: file not found"),
        Arguments.of(
            "a trust store that is not one",
            BASE.replace(
                "kafka-1:9093\n",
                "kafka-1:9093\n  producer:\n    security.protocol: SSL\n"
                    + "    ssl.truststore.location: {DIR}/garbage\n"),
            "kafka.producer.ssl.*: the key or trust store cannot be used"),
        Arguments.of(
            "a producer setting of the wrong type",
            BASE.replace("kafka-1:9093\n", "kafka-1:9093\n  producer:\n    linger.ms: soon\n"),
            "kafka.producer.linger.ms: Invalid value soon"),
        Arguments.of(
            "data directory is a file",
            BASE.replace("{DIR}/data", "{DIR}/garbage"),
            "gateway.dataDir: {DIR}/garbage: exists and is not a directory"),
        Arguments.of(
            "missing schema file",
            BASE
                + "pipeline:\n  schemas:\n    telemetry:\n      current: 1\n      versions:\n"
                + "        1: {file: {DIR}/nope.json}\n",
            "pipeline.schemas: "),
        Arguments.of(
            "missing registry file",
            BASE + "pipeline:\n  registry:\n    file: {DIR}/devices.yaml\n",
            "pipeline.registry.file: {DIR}/devices.yaml: file not found"),
        Arguments.of(
            "embedded broker without its module",
            BASE.replace("  bootstrapServers: kafka-1:9093\n", "  embedded:\n    enabled: true\n"),
            "kafka.embedded.enabled: is true but the embedded broker is not installed"),
        Arguments.of(
            "an empty kafka section",
            BASE.replace("  bootstrapServers: kafka-1:9093\n", ""),
            "kafka.bootstrapServers: must be set"),
        Arguments.of(
            "an empty auth section",
            BASE.replace("    passwordFile: {PASSWD}\n", "    # passwordFile: {PASSWD}\n"),
            "mqtt.auth: no device could connect"),
        Arguments.of(
            "a number where a section belongs",
            BASE + "journal: 5\n",
            "journal: wrong kind of value (expected a section)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void checkAndRunRefuseWithOneLineNamingTheKey(String name, String yaml, String expected)
      throws Exception {
    Path file = write(yaml);
    String line = "edgegate: invalid configuration: " + file + ": " + fill(expected);
    for (String[] args :
        new String[][] {
          {"config", "check", file.toString()},
          {"config", "check", "--config", file.toString()},
          {"run", "--config", file.toString()}
        }) {
      Result r = run(args);
      assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip()).as(String.join(" ", args)).startsWith(line).doesNotContain("\n");
      assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  static Stream<Arguments> emptySections() {
    return Stream.of(
            "gateway:\n",
            "journal:\n",
            "admin:\n",
            "forward:\n",
            "pipeline:\n",
            "commands:\n",
            "pipeline:\n  registry:\n  duplicates:\n  lifecycle:\n  unmatched:\n",
            "pipeline:\n  routes:\n  schemas:\n",
            "kafka:\n  bootstrapServers: kafka-1:9093\n  embedded:\n  producer:\n",
            "journal:\n  # sync: batch\n",
            "admin:\n  # port: 8080\n")
        .map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("emptySections")
  void anEmptySectionMeansItsDefaults(String section) throws Exception {
    Path file = write(BASE.replace("gateway:\n  dataDir: {DIR}/data\n", "") + section);
    Result r = run("config", "check", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path nested =
        write(
            BASE.replace("  port: 0\n", "  port: 0\n  tls:\n  limits:\n  sessions:\n  acl:\n")
                + section);
    assertThat(run("config", "check", nested.toString()).exit()).isZero();
  }

  @Test
  void anEmptyMqttSectionMeansItsDefaultsAndNamesWhatIsMissing() throws Exception {
    Path file = write("kafka:\n  bootstrapServers: k:9092\nmqtt:\n");
    Result r = run("config", "check", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("mqtt.tls.enabled: must be set").doesNotContain("Exception");
  }

  @Test
  void aConfigurationWithItsFilesInPlacePasses() throws Exception {
    for (String yaml : new String[] {BASE, TLS}) {
      Path file = write(yaml);
      Result r = run("config", "check", "--config", file.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains(file + ": OK");
    }
  }

  @Test
  void theFileIsNamedOnce() throws Exception {
    Path file = write(BASE);
    assertThat(run("config", "check").exit()).isEqualTo(2);
    assertThat(run("config", "check", file.toString(), "--config", file.toString()).exit())
        .isEqualTo(2);
  }

  @Test
  void helpWorksOnEveryCommand() {
    for (String[] args :
        new String[][] {
          {"config", "--help"},
          {"config", "check", "--help"},
          {"config", "print", "--help"},
          {"passwd", "--help"},
          {"run", "--help"}
        }) {
      Result r = run(args);
      assertThat(r.exit()).as(String.join(" ", args) + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
    }
  }

  private String fill(String s) {
    return s.replace("{DIR}", dir.toString())
        .replace("{CERT}", dir.resolve("server.crt").toString())
        .replace("{KEY}", dir.resolve("server.key").toString())
        .replace("{PASSWD}", dir.resolve("passwd").toString());
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "config", ".yaml");
    Files.writeString(file, fill(yaml));
    return file;
  }

  private Result run(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(out));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void connectSaysWhenKafkaCannotBeReached() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path file = write(BASE.replace("kafka-1:9093", "127.0.0.1:" + closed));
    Result r = run("config", "check", "--connect", "--connect-timeout", "2s", file.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains(file + ": OK").contains("Kafka: cannot reach 127.0.0.1:" + closed);
  }
}
