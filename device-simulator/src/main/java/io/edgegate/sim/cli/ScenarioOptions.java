package io.edgegate.sim.cli;

import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.PayloadSettings;
import io.edgegate.sim.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Command-line options that adjust a scenario. Every one is optional: unset, the scenario file's
 * value (or its default) stays. {@link #applyTo} is the one place they meet the scenario.
 */
final class ScenarioOptions {
  @Option(
      names = {"-s", "--scenario"},
      paramLabel = "FILE",
      description =
          "Scenario YAML file (see device-simulator/scenarios/); options below override it.")
  Path file;

  @Option(names = "--name", paramLabel = "TEXT", description = "Label of the run.")
  String name;

  // mqtt.*
  @Option(
      names = {"-H", "--host"},
      paramLabel = "HOST",
      description = "Broker host (127.0.0.1).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "Broker port (1883).")
  Integer port;

  @Option(
      names = "--mqtt-version",
      paramLabel = "3|5",
      description = "MQTT 5 (default) or 3 (3.1.1).")
  Integer mqttVersion;

  @Option(
      names = {"-q", "--qos"},
      paramLabel = "0|1|2",
      description = "QoS of every publish (1).")
  Integer qos;

  @Option(
      names = "--username",
      paramLabel = "NAME",
      description = "User name; {deviceId} is replaced by the device id.")
  String username;

  @Option(
      names = "--password",
      paramLabel = "SECRET",
      description = "Password (or set EDGEGATE_SIM_PASSWORD, which keeps it out of `ps`).")
  String password;

  @Option(names = "--tls", negatable = true, description = "Connect with TLS.")
  Boolean tls;

  @Option(
      names = "--trust-store",
      paramLabel = "FILE",
      description = "CA certificates to trust: PEM (.pem/.crt) or PKCS12/JKS.")
  Path trustStore;

  @Option(names = "--trust-store-password", paramLabel = "SECRET")
  String trustStorePassword;

  @Option(
      names = "--key-store",
      paramLabel = "FILE",
      description = "Client certificate and key (PKCS12/JKS) for mutual TLS.")
  Path keyStore;

  @Option(names = "--key-store-password", paramLabel = "SECRET")
  String keyStorePassword;

  @Option(
      names = "--hostname-verification",
      negatable = true,
      description = "Check the broker certificate's name (on by default).")
  Boolean hostnameVerification;

  // devices.*
  @Option(
      names = {"-n", "--devices"},
      paramLabel = "N",
      description = "Number of devices (10).")
  Integer devices;

  @Option(
      names = "--device-prefix",
      paramLabel = "PREFIX",
      description = "Device id prefix (sim-).")
  String devicePrefix;

  @Option(
      names = "--first-device",
      paramLabel = "N",
      description = "Number of the first device (1): give parallel simulators distinct ids.")
  Integer firstDevice;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TEMPLATE",
      description = "Topic; {deviceId} is replaced (devices/{deviceId}/telemetry).")
  String topic;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      description = "Publishes a device may have awaiting their outcome (32).")
  Integer inFlight;

  @Option(
      names = "--ramp-up",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Spread the connections over this time (0s).")
  Duration rampUp;

  // rate, duration, count
  @Option(
      names = {"-r", "--rate"},
      paramLabel = "PER_SECOND",
      converter = Converters.RateConverter.class,
      description = "Messages per second per connected device (1), or max.")
  Double rate;

  @Option(
      names = {"-R", "--total-rate"},
      paramLabel = "PER_SECOND",
      converter = Converters.RateConverter.class,
      description = "Messages per second over all devices, or max; with --rate the lower applies.")
  Double totalRate;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Stop publishing after this time.")
  Duration duration;

  @Option(
      names = {"-c", "--count"},
      paramLabel = "N",
      description = "Messages per device, then stop.")
  Long count;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Wait this long for in-flight outcomes after publishing stops (30s).")
  Duration drainTimeout;

  // payload.*
  @Option(
      names = "--payload",
      paramLabel = "PROFILE",
      description =
          "json (telemetry), binary (random bytes), fixed (exact size). Valid: ${COMPLETION-CANDIDATES}.")
  PayloadSettings.Profile payload;

  @Option(
      names = "--payload-size",
      paramLabel = "SIZE",
      converter = Converters.SizeConverter.class,
      description = "json: pad to at least SIZE; fixed: exactly SIZE (256).")
  Long payloadSize;

  @Option(
      names = "--payload-min",
      paramLabel = "SIZE",
      converter = Converters.SizeConverter.class,
      description = "binary: smallest payload (64).")
  Long payloadMin;

  @Option(
      names = "--payload-max",
      paramLabel = "SIZE",
      converter = Converters.SizeConverter.class,
      description = "binary: largest payload (1KiB).")
  Long payloadMax;

  @Option(
      names = "--burst",
      paramLabel = "FACTORxDURATION@AT[/EVERY]",
      converter = Converters.BurstConverter.class,
      description =
          "Event storm, e.g. 10x5s@20s (ten times the rate for 5 s from 20 s); repeatable;"
              + " replaces the scenario's bursts.")
  List<BurstSettings> bursts;

  // churn.*
  @Option(
      names = "--churn-every",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Disconnect a fraction of the devices this often (off).")
  Duration churnEvery;

  @Option(
      names = "--churn-fraction",
      paramLabel = "F",
      description = "Fraction disconnected each time (0.1).")
  Double churnFraction;

  @Option(
      names = "--churn-downtime",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Time before they reconnect (1s).")
  Duration churnDowntime;

  @Option(
      names = "--churn-with-will",
      negatable = true,
      description = "MQTT 5: disconnect with reason 0x04 so the broker publishes the will.")
  Boolean churnWithWill;

  // will.*
  @Option(names = "--will-topic", paramLabel = "TEMPLATE", description = "Last Will topic (off).")
  String willTopic;

  @Option(names = "--will-payload", paramLabel = "TEXT", description = "Last Will payload.")
  String willPayload;

  @Option(names = "--will-qos", paramLabel = "0|1|2")
  Integer willQos;

  @Option(names = "--will-retain", negatable = true)
  Boolean willRetain;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the payload generators (repeatable payloads).")
  Long seed;

  void applyTo(Scenario s) {
    set(name, v -> s.name = v);
    set(host, v -> s.mqtt.host = v);
    set(port, v -> s.mqtt.port = v);
    set(mqttVersion, v -> s.mqtt.version = v);
    set(qos, v -> s.mqtt.qos = v);
    set(username, v -> s.mqtt.username = v);
    String envPassword = System.getenv("EDGEGATE_SIM_PASSWORD");
    if (password != null) {
      s.mqtt.password = password;
    } else if (envPassword != null && s.mqtt.password == null) {
      s.mqtt.password = envPassword;
    }
    set(tls, v -> s.mqtt.tls.enabled = v);
    set(trustStore, v -> s.mqtt.tls.trustStore = v);
    set(trustStorePassword, v -> s.mqtt.tls.trustStorePassword = v);
    set(keyStore, v -> s.mqtt.tls.keyStore = v);
    set(keyStorePassword, v -> s.mqtt.tls.keyStorePassword = v);
    set(hostnameVerification, v -> s.mqtt.tls.hostnameVerification = v);
    set(devices, v -> s.devices.count = v);
    set(devicePrefix, v -> s.devices.idPrefix = v);
    set(firstDevice, v -> s.devices.firstIndex = v);
    set(topic, v -> s.devices.topic = v);
    set(inFlight, v -> s.devices.inFlight = v);
    set(rampUp, v -> s.devices.rampUp = v);
    set(rate, v -> s.rate.perDevice = v);
    set(totalRate, v -> s.rate.total = v);
    set(duration, v -> s.duration = v);
    set(count, v -> s.count = v);
    set(drainTimeout, v -> s.drainTimeout = v);
    set(payload, v -> s.payload.profile = v);
    set(payloadSize, v -> s.payload.size = v);
    set(payloadMin, v -> s.payload.minSize = v);
    set(payloadMax, v -> s.payload.maxSize = v);
    set(bursts, v -> s.bursts = List.copyOf(v));
    set(churnEvery, v -> s.churn.every = v);
    set(churnFraction, v -> s.churn.fraction = v);
    set(churnDowntime, v -> s.churn.downtime = v);
    set(churnWithWill, v -> s.churn.withWill = v);
    set(willTopic, v -> s.will.topic = v);
    set(willPayload, v -> s.will.payload = v);
    set(willQos, v -> s.will.qos = v);
    set(willRetain, v -> s.will.retain = v);
    set(seed, v -> s.seed = v);
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
