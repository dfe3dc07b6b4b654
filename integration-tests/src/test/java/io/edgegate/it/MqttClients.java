package io.edgegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Connects with a clean session, subscribes to {@code filter} at {@code qos} and returns once
     * the SUBACK came, also when it refused ({@link Subscription#granted} is then its failure code,
     * at least 0x80): what arrives from then on is kept for {@link Subscription#next}. A process
     * client reports its SUBACK on its output, which this awaits (at most {@link
     * MqttClients#PROCESS_TIMEOUT}); the process ends after its first message.
     */
    Subscription subscribe(int port, String clientId, String filter, int qos) throws Exception;
  }

  /** How long a subscribing process may run: {@code -W} of mosquitto_sub, subscribe.js's timer. */
  static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A message as a client received it. The MQTT 5 properties (UTF-8 for the correlation data) are
   * null when absent, and always for MQTT 3.1.1 clients.
   */
  record Received(
      String topic,
      String payload,
      int qos,
      String contentType,
      String responseTopic,
      String correlationData) {}

  /**
   * A connected client with one subscription. {@link #close} disconnects (or ends the process).
   * Used by one test thread.
   */
  interface Subscription extends AutoCloseable {
    /** The QoS the gateway granted in its SUBACK, or the failure code (0x80 and above). */
    int granted();

    /** The next message received, waiting at most {@code timeout}; null if none came. */
    Received next(Duration timeout) throws Exception;

    /** Whether {@link #respond} is supported (the in-process MQTT 5 clients). */
    default boolean canRespond() {
      return false;
    }

    /**
     * Publishes a response with this Correlation Data on the same connection; returns when acked.
     */
    default void respond(String topic, String correlationData, String payload, int qos)
        throws Exception {
      throw new UnsupportedOperationException(this + " does not answer commands");
    }
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

    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      var client =
          new org.eclipse.paho.client.mqttv3.MqttClient(
              "tcp://127.0.0.1:" + port,
              clientId,
              new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
      client.setTimeToWait(CALL_TIMEOUT.toMillis());
      InProcess sub = new InProcess(this, client::disconnect, client::close);
      client.setCallback(
          new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
              sub.received.add(
                  new Received(topic, text(m.getPayload()), m.getQos(), null, null, null));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) {}
          });
      var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
      options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(true);
      return sub.open(
          () -> {
            client.connect(options);
            try {
              return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
              // the synchronous client throws on a SUBACK with the failure code 0x80
              if (e.getReasonCode()
                  == org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return 0x80;
              }
              throw e;
            }
          });
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

    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      var client =
          new org.eclipse.paho.mqttv5.client.MqttClient(
              "tcp://127.0.0.1:" + port,
              clientId,
              new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
      client.setTimeToWait(CALL_TIMEOUT.toMillis());
      InProcess sub =
          new InProcess(this, client::disconnect, client::close) {
            @Override
            public boolean canRespond() {
              return true;
            }

            @Override
            public void respond(String topic, String correlationData, String payload, int qos)
                throws Exception {
              var m = new org.eclipse.paho.mqttv5.common.MqttMessage(bytes(payload));
              m.setQos(qos);
              var props = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
              props.setCorrelationData(bytes(correlationData));
              m.setProperties(props);
              client.publish(topic, m); // returns once acknowledged (QoS 1, 2)
            }
          };
      client.setCallback(
          new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
              var p = m.getProperties();
              sub.received.add(
                  new Received(
                      topic,
                      text(m.getPayload()),
                      m.getQos(),
                      p == null ? null : p.getContentType(),
                      p == null ? null : p.getResponseTopic(),
                      p == null || p.getCorrelationData() == null
                          ? null
                          : text(p.getCorrelationData())));
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(
                int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
          });
      var options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
      options.setCleanStart(true);
      return sub.open(
          () -> {
            client.connect(options);
            try {
              return client.subscribe(filter, qos).getGrantedQos()[0]; // the SUBACK's reason code
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
              if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xff) {
                return e.getReasonCode();
              }
              throw e;
            }
          });
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

    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      Mqtt3BlockingClient client =
          MqttClient.builder()
              .useMqttVersion3()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      InProcess sub = new InProcess(this, client::disconnect, () -> {});
      client
          .toAsync()
          .publishes(
              MqttGlobalPublishFilter.ALL,
              p ->
                  sub.received.add(
                      new Received(
                          p.getTopic().toString(),
                          text(p.getPayloadAsBytes()),
                          p.getQos().getCode(),
                          null,
                          null,
                          null)));
      return sub.open(
          () -> {
            client.connectWith().cleanSession(true).send();
            try {
              Mqtt3SubAck ack =
                  client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
              return ack.getReturnCodes().get(0).getCode();
            } catch (Mqtt3SubAckException e) { // a SUBACK with the failure code
              return e.getMqttMessage().getReturnCodes().get(0).getCode();
            }
          });
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

    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      Mqtt5BlockingClient client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(port)
              .buildBlocking();
      InProcess sub =
          new InProcess(this, client::disconnect, () -> {}) {
            @Override
            public boolean canRespond() {
              return true;
            }

            @Override
            public void respond(String topic, String correlationData, String payload, int qos) {
              client
                  .publishWith()
                  .topic(topic)
                  .correlationData(bytes(correlationData))
                  .qos(MqttQos.fromCode(qos))
                  .payload(bytes(payload))
                  .send(); // returns once acknowledged (QoS 1, 2)
            }
          };
      client
          .toAsync()
          .publishes(
              MqttGlobalPublishFilter.ALL,
              p ->
                  sub.received.add(
                      new Received(
                          p.getTopic().toString(),
                          text(p.getPayloadAsBytes()),
                          p.getQos().getCode(),
                          p.getContentType().map(Object::toString).orElse(null),
                          p.getResponseTopic().map(Object::toString).orElse(null),
                          p.getCorrelationData().map(MqttClients::text).orElse(null))));
      return sub.open(
          () -> {
            client.connectWith().cleanStart(true).send();
            try {
              Mqtt5SubAck ack =
                  client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
              return ack.getReasonCodes().get(0).getCode();
            } catch (Mqtt5SubAckException e) { // a SUBACK with a failure code
              return e.getMqttMessage().getReasonCodes().get(0).getCode();
            }
          });
    }
  }

  /** {@code mosquitto_pub} and {@code mosquitto_sub} (Debian package {@code mosquitto-clients}). */
  static final class Mosquitto extends Named {
    private final boolean v5;

    Mosquitto(boolean v5) {
      super(
          v5 ? "mosquitto-v5" : "mosquitto-v311",
          "mosquitto_pub/mosquitto_sub" + (v5 ? " (MQTT 5)" : " (MQTT 3.1.1)"));
      this.v5 = v5;
    }

    @Override
    public boolean mqtt5() {
      return v5;
    }

    @Override
    public String missing() {
      if (onPath("mosquitto_pub") == null || onPath("mosquitto_sub") == null) {
        return "mosquitto_pub or mosquitto_sub is not on the PATH (Debian package"
            + " mosquitto-clients; the build installs it when run as root with apt-get)";
      }
      return onPath("stdbuf") == null ? "stdbuf (coreutils) is not on the PATH" : null;
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

    /**
     * {@code mosquitto_sub -C 1}: with {@code -d} it prints "Subscribed (mid: 1): <granted>" on the
     * SUBACK, and with {@code -F %j} the message as JSON (the MQTT 5 properties in "properties").
     */
    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      // On a pipe, mosquitto_sub's output is block-buffered: the SUBACK line would come only at
      // its end. stdbuf -oL (coreutils) makes it line-buffered.
      ProcessBuilder pb =
          new ProcessBuilder(
              "stdbuf",
              "-oL",
              "mosquitto_sub",
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
              filter,
              "-C",
              "1",
              "-W",
              Long.toString(PROCESS_TIMEOUT.toSeconds()),
              "-d",
              "-F",
              "%j");
      return ProcessSubscription.start(
          this,
          pb,
          line -> {
            Matcher m = MOSQUITTO_SUBSCRIBED.matcher(line);
            return m.matches() ? Integer.valueOf(m.group(1)) : null;
          },
          json -> {
            JsonNode p = json.path("properties");
            return new Received(
                json.path("topic").asText(),
                json.path("payload").asText(),
                json.path("qos").asInt(),
                textOrNull(p, "content-type"),
                textOrNull(p, "response-topic"),
                textOrNull(p, "correlation-data"));
          });
    }
  }

  /**
   * MQTT.js (npm package {@code mqtt}) on Node.js, through {@code mqttjs/publish.js} and {@code
   * mqttjs/subscribe.js}.
   */
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
                  script("publish.js").toString(),
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

    @Override
    public Subscription subscribe(int port, String clientId, String filter, int qos)
        throws Exception {
      ProcessBuilder pb =
          new ProcessBuilder(
              "node",
              script("subscribe.js").toString(),
              "mqtt://127.0.0.1:" + port,
              clientId,
              v5 ? "5" : "4",
              filter,
              Integer.toString(qos),
              Long.toString(PROCESS_TIMEOUT.toSeconds()));
      pb.environment().put("NODE_PATH", MODULES.toAbsolutePath().toString());
      return ProcessSubscription.start(
          this,
          pb,
          line ->
              line.startsWith("suback ")
                  ? Integer.valueOf(line.substring("suback ".length()).trim())
                  : null,
          json ->
              new Received(
                  json.path("topic").asText(),
                  json.path("payload").asText(),
                  json.path("qos").asInt(),
                  textOrNull(json, "contentType"),
                  textOrNull(json, "responseTopic"),
                  textOrNull(json, "correlationData")));
    }

    private static Path script(String name) throws URISyntaxException {
      return Path.of(MqttClients.class.getResource("/mqttjs/" + name).toURI());
    }
  }

  /** Bound of each blocking call of an in-process client (connect, subscribe, publish). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern MOSQUITTO_SUBSCRIBED =
      Pattern.compile("Subscribed \\(mid: \\d+\\): (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The subscription of an in-process client: the client's callback thread adds what arrives to
   * {@link #received}, the test thread takes it.
   */
  private static class InProcess implements Subscription {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Driver driver;
    private final Step disconnect;
    private final Step release;
    private int granted = -1;

    InProcess(Driver driver, Step disconnect, Step release) {
      this.driver = driver;
      this.disconnect = disconnect;
      this.release = release;
    }

    /** Runs connect + subscribe (returning the granted QoS); on failure closes the client. */
    InProcess open(Callable<Integer> connectAndSubscribe) throws Exception {
      try {
        granted = connectAndSubscribe.call();
        return this;
      } catch (Exception | Error e) {
        for (Step step : List.of(disconnect, release)) {
          try {
            step.run();
          } catch (Exception suppressed) { // e.g. not connected: the first failure tells why
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }

    @Override
    public int granted() {
      return granted;
    }

    @Override
    public Received next(Duration timeout) throws InterruptedException {
      return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
      try {
        disconnect.run();
      } finally {
        release.run();
      }
    }

    @Override
    public String toString() {
      return driver.toString();
    }
  }

  /** A step that may throw. */
  private interface Step {
    void run() throws Exception;
  }

  /**
   * A client process that prints a line when it is subscribed, then its first message as one JSON
   * line, and ends. Its output is read on a thread of its own into {@link #lines}, so every wait of
   * the test thread has a timeout.
   */
  private static final class ProcessSubscription implements Subscription {
    private static final String END = "\u0000end";
    private final Driver driver;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private final Function<JsonNode, Received> parse;
    private int granted;
    private boolean receivedOne;

    private ProcessSubscription(
        Driver driver, Process process, Function<JsonNode, Received> parse) {
      this.driver = driver;
      this.process = process;
      this.parse = parse;
    }

    /**
     * Starts the process and waits (at most {@link #PROCESS_TIMEOUT}) for the line that {@code
     * subscribed} maps to the granted QoS.
     */
    static ProcessSubscription start(
        Driver driver,
        ProcessBuilder pb,
        Function<String, Integer> subscribed,
        Function<JsonNode, Received> parse)
        throws Exception {
      pb.redirectErrorStream(true);
      ProcessSubscription s = new ProcessSubscription(driver, pb.start(), parse);
      s.process.getOutputStream().close();
      Thread reader = new Thread(s::read, "interop-" + driver.id());
      reader.setDaemon(true);
      reader.start();
      try {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (true) {
          String line = s.lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (line == null || line.equals(END)) {
            throw new AssertionError(
                driver
                    + (line == null ? " did not report a SUBACK in time" : " ended")
                    + " before it subscribed: "
                    + s.transcript.toString().strip());
          }
          Integer granted = subscribed.apply(line);
          if (granted != null) {
            s.granted = granted;
            return s;
          }
        }
      } catch (Exception | Error e) {
        s.process.destroyForcibly();
        throw e;
      }
    }

    private void read() {
      try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          transcript.append(line).append('\n');
          lines.add(line);
        }
      } catch (IOException e) {
        transcript.append("(output unreadable: ").append(e).append(")\n");
      } finally {
        lines.add(END);
      }
    }

    @Override
    public int granted() {
      return granted;
    }

    @Override
    public Received next(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          return null;
        }
        if (line.equals(END)) {
          lines.add(END); // stays ended
          return null;
        }
        if (line.startsWith("{")) {
          receivedOne = true;
          return parse.apply(JSON.readTree(line));
        }
      }
    }

    /**
     * After its message the process disconnects and ends on its own (at most {@link
     * #CALL_TIMEOUT}), with exit code 0 or this fails with its output; otherwise it is killed.
     */
    @Override
    public void close() throws Exception {
      if (receivedOne && process.waitFor(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        if (process.exitValue() != 0) {
          throw new AssertionError(
              driver
                  + " exited with "
                  + process.exitValue()
                  + ": "
                  + transcript.toString().strip());
        }
        return;
      }
      process.destroyForcibly().waitFor(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The client and what it printed so far, for assertion messages. */
    @Override
    public String toString() {
      return driver + ", its output: " + transcript.toString().strip();
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String text(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return text(out);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
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
