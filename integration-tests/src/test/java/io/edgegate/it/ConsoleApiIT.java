package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's JSON under {@code /api/} (docs/console.md) against a gateway with a real broker and
 * real MQTT devices: what each endpoint answers, its paging and errors, the page's security
 * headers, and that the console asks for the admin credentials like every other admin path.
 */
@ExtendWith(GatewayHygiene.class)
// The test dead-letters a record larger than Kafka takes.
@ExpectedLogs(
    "^Kafka refused event \\p{XDigit}+ for good \\(org\\.apache\\.kafka\\.common\\.errors\\.RecordTooLargeException")
class ConsoleApiIT {
  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void everyEndpointAnswersWithWhatTheGatewayHoldsNow() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.mqtt.maxMessageSize = 64 * 1024; // MQTT takes it ...
      config.kafka.producer.put("max.request.size", "4000"); // ... Kafka (this producer) will not
      try (TestGateway gw = TestGateway.start(config);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        Mqtt5AsyncClient persistent = persistentDevice("dev-0", gw.mqttPort());
        int port = gw.gateway.adminPort();
        device.publish(0, 5, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        device.publish(5, 1, MqttQos.AT_LEAST_ONCE, 20_000).get(30, TimeUnit.SECONDS); // poison
        assertThat(device.acked).hasSize(6);

        // overview: counters, devices, Kafka, journal, reasons; rates come from the admin's ring
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  JsonObject o = json(port, "/api/overview", null);
                  return o.getJsonObject("events").getLong("forwarded") == 5
                      && o.getJsonObject("deadLetters").getLong("total") == 1
                      && Long.valueOf(0).equals(o.getJsonObject("backlog").getLong("events"))
                      && !o.getJsonObject("backlog").getJsonArray("trend").isEmpty();
                });
        JsonObject o = json(port, "/api/overview", null);
        assertThat(o.getJsonObject("events").getLong("received")).isEqualTo(6);
        assertThat(o.getJsonObject("events").getInteger("windowSeconds")).isEqualTo(10);
        assertThat(o.getJsonObject("events").getDouble("inPerSecond")).isNotNegative();
        assertThat(o.getJsonObject("devices").getInteger("connected")).isEqualTo(2);
        assertThat(o.getJsonObject("devices").getInteger("paused")).isZero();
        assertThat(o.getJsonObject("kafka").getBoolean("available")).isTrue();
        assertThat(o.getJsonObject("kafka").getString("bootstrapServers"))
            .isEqualTo(kafka.bootstrapServers());
        assertThat(o.getJsonObject("journal").getLong("diskUsedBytes")).isPositive();
        assertThat(o.getJsonObject("journal").getLong("minFreeDiskBytes"))
            .isEqualTo(config.journal.minFreeDisk);
        assertThat(o.getJsonObject("journal").getValue("refusing")).isNull();
        assertThat(o.getJsonObject("refusals").fieldNames())
            .containsExactly("connections", "publishes", "dropped", "subscriptions", "closed");
        assertThat(o.getJsonObject("refusals").getJsonObject("publishes").getLong("journal-full"))
            .isZero();
        JsonObject byReason = o.getJsonObject("deadLetters").getJsonObject("byReason");
        assertThat(byReason.getLong("record-too-large")).isEqualTo(1);
        assertThat(byReason.getLong("not-json")).isZero();
        JsonArray trend = o.getJsonObject("backlog").getJsonArray("trend");
        assertThat(trend.size()).isBetween(1, 60);
        assertThat(o.getJsonObject("health").getBoolean("ready")).isTrue();

        // recent dead letters: the one Kafka refused, with its reason and device
        JsonObject dl = json(port, "/api/deadletters/recent", null);
        assertThat(dl.getInteger("capacity")).isEqualTo(50);
        assertThat(dl.getLong("total")).isEqualTo(1);
        JsonObject letter = dl.getJsonArray("deadLetters").getJsonObject(0);
        assertThat(letter.getString("reason")).isEqualTo("record-too-large");
        assertThat(letter.getString("device")).isEqualTo("dev-1");
        assertThat(letter.getString("topic")).isEqualTo(Device.topic("dev-1"));
        assertThat(letter.getString("error")).contains("RecordTooLargeException");
        assertThat(letter.getString("preview")).hasSizeLessThanOrEqualTo(65);
        assertThat(letter.getString("at")).isNotBlank();
        String eventId = letter.getString("eventId");
        assertThat(eventId).isNotBlank();

        // devices: sorted by client id, paged, one by id, session and activity
        JsonObject all = json(port, "/api/devices", null);
        assertThat(all.getInteger("total")).isEqualTo(2);
        assertThat(
                all.getJsonArray("devices").stream()
                    .map(d -> ((JsonObject) d).getString("clientId")))
            .containsExactly("dev-0", "dev-1");
        JsonObject second = json(port, "/api/devices?limit=1&offset=1", null);
        assertThat(second.getJsonArray("devices").size()).isEqualTo(1);
        assertThat(second.getJsonArray("devices").getJsonObject(0).getString("clientId"))
            .isEqualTo("dev-1");
        JsonObject one = json(port, "/api/devices?id=dev-1", null);
        assertThat(one.getLong("events")).isEqualTo(6);
        assertThat(one.getInteger("lastQos")).isEqualTo(1);
        assertThat(one.getString("lastSeen")).isNotNull();
        assertThat(one.getDouble("ratePerSecond")).isPositive();
        assertThat(one.getInteger("protocolVersion")).isEqualTo(5);
        assertThat(one.getJsonObject("session").getBoolean("persistent")).isFalse();
        assertThat(one.getJsonObject("schemaVersions")).isEmpty();
        JsonObject kept = json(port, "/api/devices?id=dev-0", null);
        assertThat(kept.getJsonObject("session").getBoolean("persistent")).isTrue();
        assertThat(kept.getJsonObject("session").getLong("expirySeconds")).isEqualTo(300);
        assertThat(kept.getValue("lastSeen")).isNull();
        assertThat(get(port, "/api/devices?id=nobody", null).statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/devices?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/devices?limit=501", null).statusCode()).isEqualTo(400);

        // schemas: empty until the pipeline's view is given
        JsonObject schemas = json(port, "/api/schemas", null);
        assertThat(schemas.getJsonArray("types")).isEmpty();
        assertThat(schemas.getJsonArray("devicesOnOldVersions")).isEmpty();

        // trace: the CLI's JSON form, run on a worker
        JsonObject trace = json(port, "/api/trace/" + eventId, null);
        assertThat(trace.getString("eventId")).isEqualTo(eventId);
        assertThat(trace.getString("fate")).isEqualTo("dead_lettered");
        assertThat(trace.getJsonObject("record").getString("deadLetterReason"))
            .isEqualTo("record-too-large");
        assertThat(get(port, "/api/trace/not-a-uuid", null).statusCode()).isEqualTo(400);
        // by device: its last events and the fate of each
        JsonObject byDevice = json(port, "/api/trace?device=dev-1&last=50", null);
        assertThat(byDevice.getString("device")).isEqualTo("dev-1");
        assertThat(
                byDevice.getJsonArray("events").stream()
                    .map(e -> (JsonObject) e)
                    .filter(e -> eventId.equals(e.getString("eventId")))
                    .map(e -> e.getString("fate")))
            .containsExactly("dead_lettered");
        assertThat(get(port, "/api/trace?last=5", null).statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/trace?device=dev-1&last=0", null).statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/nothing", null).statusCode()).isEqualTo(404);

        // stream: Server-Sent Events carrying the overview
        HttpResponse<InputStream> stream =
            http.send(
                request(port, "/api/stream", null), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("content-type").orElseThrow())
            .startsWith("text/event-stream");
        try (BufferedReader lines =
            new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
          String line;
          do {
            line = lines.readLine();
          } while (line != null && !line.startsWith("data: "));
          assertThat(line).isNotNull();
          JsonObject pushed = new JsonObject(line.substring("data: ".length()));
          assertThat(pushed.getJsonObject("devices").getInteger("connected")).isEqualTo(2);
        }

        // the page: its files, types, caching and policy
        HttpResponse<String> page = get(port, "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
            .contains("script-src 'self'")
            .doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.body()).contains("/console/console.js").doesNotContain("<script>");
        assertThat(get(port, "/console/", null).body()).isEqualTo(page.body());
        HttpResponse<String> js = get(port, "/console/console.js", null);
        assertThat(js.headers().firstValue("content-type").orElseThrow())
            .startsWith("text/javascript");
        assertThat(js.body()).doesNotContain("innerHTML");
        assertThat(get(port, "/console/console.css", null).headers().firstValue("content-type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        String etag = js.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/console/console.js"))
                    .header("If-None-Match", etag)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        persistent.disconnect().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withAdminAuthTheConsoleAndItsApiAskForTheToken() throws Exception {
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    config.admin.auth.bearerToken = "console-secret";
    try (kafka;
        TestGateway gw = TestGateway.start(config)) {
      int port = gw.gateway.adminPort();
      for (String path :
          new String[] {
            "/", "/console/console.js", "/api/overview", "/api/devices", "/api/stream"
          }) {
        assertThat(get(port, path, null).statusCode()).as(path).isEqualTo(401);
        assertThat(get(port, path, "wrong").statusCode()).as(path).isEqualTo(401);
      }
      assertThat(get(port, "/", "console-secret").statusCode()).isEqualTo(200);
      JsonObject o = json(port, "/api/overview", "console-secret");
      assertThat(o.getJsonObject("kafka").getBoolean("available")).isTrue(); // nothing sent yet
      assertThat(o.getJsonObject("kafka").getBoolean("answered")).isFalse();
    }
  }

  private static Mqtt5AsyncClient persistentDevice(String id, int port) throws Exception {
    Mqtt5AsyncClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    c.connectWith().cleanStart(false).sessionExpiryInterval(300).send().get(10, TimeUnit.SECONDS);
    return c;
  }

  private HttpRequest request(int port, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  private HttpResponse<String> get(int port, String path, String token) throws Exception {
    return http.send(request(port, path, token), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject json(int port, String path, String token) throws Exception {
    HttpResponse<String> r = get(port, path, token);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
    return new JsonObject(r.body());
  }
}
