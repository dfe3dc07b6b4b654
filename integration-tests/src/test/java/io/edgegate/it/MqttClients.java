package io.edgegate.it;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The third-party MQTT clients of the interoperability matrix, each behind one small {@link
 * Driver}: the Java libraries in process, the command-line and Node.js clients as processes.
 */
final class MqttClients {
  private MqttClients() {}

  /** The user property every MQTT 5 client sends: its {@link Driver#id()}. */
  static final String USER_PROPERTY = "interop";

  static final String CONTENT_TYPE = "application/json";

  /** One client implementation at one protocol version. */
  interface Driver {
    /** Short id, used in client ids and as the user property's value. */
    String id();

    boolean mqtt5();

    /** Why it cannot run here (and how to get it), or null when it can. */
    default String missing() {
      return null;
    }

    /**
     * Connects with a clean session, publishes {@code payload} at {@code qos} and returns once the
     * gateway acknowledged it (QoS 1, 2) or it was written (QoS 0); disconnects. An MQTT 5 client
     * adds the content type {@link MqttClients#CONTENT_TYPE} and the user property {@link
     * MqttClients#USER_PROPERTY}.
     */
    void publish(int port, String clientId, String topic, int qos, String payload) throws Exception;

    // The receive column adds: subscribe(port, clientId, filter, qos) -> the first message.
  }

  static List<Driver> all() {
    return List.of(
        new PahoV3(),
        new PahoV5(),
        new HiveMqV3(),
        new HiveMqV5(),
        new Mosquitto(false),
        new Mosquitto(true),
        new MqttJs(false),
        new MqttJs(true));
  }

  private abstract static class Named implements Driver {
    private final String id;
    private final String name;

    Named(String id, String name) {
      this.id = id;
      this.name = name;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final class PahoV3 extends Named {
    PahoV3() {
      super("paho-v3", "Eclipse Paho Java v3 1.2.5 (MQTT 3.1.1)");
    }

    @Override
    public boolean mqtt5() {
      return false;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload)
        throws Exception {
      var client =
          new org.eclipse.paho.client.mqttv3.MqttClient(
              "tcp://127.0.0.1:" + port,
              clientId,
              new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
      var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
      options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(true);
      client.connect(options);
      var message =
          new org.eclipse.paho.client.mqttv3.MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
      message.setQos(qos);
      client.publish(topic, message); // the synchronous client returns once it is delivered
      client.disconnect();
      client.close();
    }
  }

  static final class PahoV5 extends Named {
    PahoV5() {
      super("paho-v5", "Eclipse Paho Java v5 1.2.5 (MQTT 5)");
    }

    @Override
    public boolean mqtt5() {
      return true;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload)
        throws Exception {
      var client =
          new org.eclipse.paho.mqttv5.client.MqttClient(
              "tcp://127.0.0.1:" + port,
              clientId,
              new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
      var options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
      options.setCleanStart(true);
      client.connect(options);
      var message =
          new org.eclipse.paho.mqttv5.common.MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
      message.setQos(qos);
      var props = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
      props.setContentType(CONTENT_TYPE);
      props.setUserProperties(
          List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty(USER_PROPERTY, id())));
      message.setProperties(props);
      client.publish(topic, message);
      client.disconnect();
      client.close();
    }
  }

  static final class HiveMqV3 extends Named {
    HiveMqV3() {
      super("hivemq-v3", "HiveMQ MQTT Client 1.4.2 (MQTT 3.1.1)");
    }

    @Override
    public boolean mqtt5() {
      return false;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload) {
      Mqtt3BlockingClient client =
          MqttClient.builder()
              .useMqttVersion3()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      client.connectWith().cleanSession(true).send();
      client
          .publishWith()
          .topic(topic)
          .qos(MqttQos.fromCode(qos))
          .payload(payload.getBytes(StandardCharsets.UTF_8))
          .send();
      client.disconnect();
    }
  }

  static final class HiveMqV5 extends Named {
    HiveMqV5() {
      super("hivemq-v5", "HiveMQ MQTT Client 1.4.2 (MQTT 5)");
    }

    @Override
    public boolean mqtt5() {
      return true;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload) {
      Mqtt5BlockingClient client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      client.connectWith().cleanStart(true).send();
      client
          .publishWith()
          .topic(topic)
          .qos(MqttQos.fromCode(qos))
          .payload(payload.getBytes(StandardCharsets.UTF_8))
          .contentType(CONTENT_TYPE)
          .userProperties(Mqtt5UserProperties.builder().add(USER_PROPERTY, id()).build())
          .send();
      client.disconnect();
    }
  }

  /** {@code mosquitto_pub} (Debian package {@code mosquitto-clients}). */
  static final class Mosquitto extends Named {
    private final boolean v5;

    Mosquitto(boolean v5) {
      super(
          v5 ? "mosquitto-v5" : "mosquitto-v311",
          "mosquitto_pub" + (v5 ? " (MQTT 5)" : " (MQTT 3.1.1)"));
      this.v5 = v5;
    }

    @Override
    public boolean mqtt5() {
      return v5;
    }

    @Override
    public String missing() {
      return onPath("mosquitto_pub") == null
          ? "mosquitto_pub is not on the PATH (Debian package mosquitto-clients; the build installs"
              + " it when run as root with apt-get)"
          : null;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload)
        throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.addAll(
          List.of(
              "mosquitto_pub",
              "-h",
              "127.0.0.1",
              "-p",
              Integer.toString(port),
              "-i",
              clientId,
              "-V",
              v5 ? "mqttv5" : "mqttv311",
              "-q",
              Integer.toString(qos),
              "-t",
              topic,
              "-m",
              payload));
      if (v5) {
        cmd.addAll(List.of("-D", "publish", "user-property", USER_PROPERTY, id()));
        cmd.addAll(List.of("-D", "publish", "content-type", CONTENT_TYPE));
      }
      run(new ProcessBuilder(cmd));
    }
  }

  /** MQTT.js (npm package {@code mqtt}) on Node.js, through {@code mqttjs/publish.js}. */
  static final class MqttJs extends Named {
    private static final Path MODULES = Path.of("target", "mqttjs", "node_modules");
    private final boolean v5;

    MqttJs(boolean v5) {
      super(v5 ? "mqttjs-v5" : "mqttjs-v311", "MQTT.js 5" + (v5 ? " (MQTT 5)" : " (MQTT 3.1.1)"));
      this.v5 = v5;
    }

    @Override
    public boolean mqtt5() {
      return v5;
    }

    @Override
    public String missing() {
      if (onPath("node") == null) {
        return "node is not on the PATH (Node.js and npm are needed for MQTT.js)";
      }
      if (!Files.exists(MODULES.resolve("mqtt").resolve("package.json"))) {
        return "MQTT.js is not in "
            + MODULES.toAbsolutePath()
            + " (integration-tests/install-clients puts it there when npm exists)";
      }
      return null;
    }

    @Override
    public void publish(int port, String clientId, String topic, int qos, String payload)
        throws Exception {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "node",
                  script().toString(),
                  "mqtt://127.0.0.1:" + port,
                  clientId,
                  v5 ? "5" : "4",
                  topic,
                  Integer.toString(qos),
                  payload));
      if (v5) {
        cmd.addAll(List.of(USER_PROPERTY, id(), CONTENT_TYPE));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("NODE_PATH", MODULES.toAbsolutePath().toString());
      run(pb);
    }

    private static Path script() throws URISyntaxException {
      return Path.of(MqttClients.class.getResource("/mqttjs/publish.js").toURI());
    }
  }

  /** Runs a client process to its end (30 s at most); fails with its output if it fails. */
  private static void run(ProcessBuilder pb) throws IOException, InterruptedException {
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(pb.command().get(0) + " did not finish in 30 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError(
          pb.command().get(0) + " exited with " + p.exitValue() + ": " + output.strip());
    }
  }

  /** The executable {@code name} on the PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
