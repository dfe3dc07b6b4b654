package io.edgegate.gateway.observe.console;

import io.edgegate.gateway.forward.DeadLetterNote;
import io.edgegate.gateway.ingest.ConnectedDevice;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's JSON under {@code /api/} (docs/console.md): the overview, the recent dead letters,
 * the connected devices (paged), the schema versions, "where is my event?" and a Server-Sent Events
 * stream of the overview. Read-only.
 *
 * <p>Costs: a one-second timer reads two counter totals and the last backlog measurement into a
 * ring ({@link Trend}); rates come from that ring. Devices are read from their connections on
 * request and sorted per page asked for (10,000 devices: a few milliseconds). A trace runs on a
 * worker, one at a time, with a time limit.
 *
 * <p><b>Confined to the admin server's event loop</b> (handlers and timer), except the trace's
 * blocking part, which runs on a worker and reports back on the loop.
 *
 * <p>Not on the event path (it answers an operator's requests); its length is the JSON form of the
 * documented endpoints (docs/console.md), one method each.
 */
public final class ConsoleApi {
  private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);
  private static final String JSON = "application/json";

  /** One-second samples kept: the overview's trend covers this many seconds. */
  static final int TREND_SAMPLES = 60;

  /** Rates are averaged over this many seconds of samples. */
  static final int RATE_WINDOW = 10;

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** Open {@code /api/stream} connections at most (each is a socket and a write per second). */
  static final int MAX_STREAMS = 4;

  static final Duration TRACE_TIMEOUT = Duration.ofSeconds(20);

  private final Vertx vertx;
  private final Supplier<ConsoleSources> sources; // null until the gateway runs
  private final Clock clock;
  private final Trend trend = new Trend(TREND_SAMPLES);
  private final Set<HttpServerResponse> streams = new LinkedHashSet<>();
  private Confinement.Owner owner;
  private long timer = -1;
  private boolean tracing;

  /**
   * @param sources what the console reads; it answers null while the gateway starts
   */
  public ConsoleApi(Vertx vertx, Supplier<ConsoleSources> sources, Clock clock) {
    this.vertx = vertx;
    this.sources = sources;
    this.clock = clock;
  }

  /** Starts sampling, once a second; on the admin server's event loop. */
  public void start() {
    owner = Confinement.firstCaller();
    assert owner.check();
    timer = vertx.setPeriodic(0, 1000, t -> tick());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    for (HttpServerResponse r : List.copyOf(streams)) {
      r.end();
    }
    streams.clear();
  }

  private void tick() {
    assert owner.check();
    ConsoleSources s = sources.get();
    if (s == null) {
      return;
    }
    ConsoleSources.Backlog b = s.backlog();
    trend.add(
        new Trend.Sample(
            clock.millis(), s.eventsReceived(), s.eventsForwarded(), b.events(), b.bytes()));
    if (!streams.isEmpty()) {
      String event = "event: overview\ndata: " + overview(s).encode() + "\n\n";
      for (HttpServerResponse r : streams) {
        if (!r.writeQueueFull()) { // a slow reader misses a second rather than growing a queue
          r.write(event);
        }
      }
    }
  }

  /** True (and answered) if the path is under {@code /api/}. */
  public boolean handle(HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith("/api/")) {
      return false;
    }
    assert owner.check();
    ConsoleSources s = sources.get();
    if (s == null) {
      error(request, 503, "the gateway is starting");
      return true;
    }
    switch (path) {
      case "/api/overview" -> json(request, 200, overview(s));
      case "/api/deadletters/recent" -> json(request, 200, deadLetters(s.recentDeadLetters()));
      case "/api/devices" -> devices(request, s);
      case "/api/schemas" -> json(request, 200, schemas(request, s.schemas()));
      case "/api/stream" -> stream(request);
      case "/api/trace" -> traceDevice(request, s);
      default -> {
        if (path.startsWith("/api/trace/")) {
          trace(request, s, path.substring("/api/trace/".length()));
        } else {
          error(request, 404, "no such endpoint: see docs/console.md");
        }
      }
    }
    return true;
  }

  // --- /api/overview

  JsonObject overview(ConsoleSources s) {
    long now = clock.millis();
    double[] rates = trend.rates(RATE_WINDOW);
    ConsoleSources.Backlog b = s.backlog();
    JsonArray points = new JsonArray();
    for (Trend.Sample p : trend.samples()) {
      points.add(
          new JsonObject()
              .put("at", p.atMillis())
              .put("events", number(p.backlogEvents()))
              .put("bytes", number(p.backlogBytes())));
    }
    ConsoleSources.Kafka k = s.kafka();
    ConsoleSources.Disk d = s.disk();
    JsonObject refusals = new JsonObject();
    s.refusals().forEach((meter, byReason) -> refusals.put(meter, counts(byReason)));
    Map<String, Long> dl = s.deadLetters();
    long dlTotal = dl.values().stream().mapToLong(Long::longValue).sum();
    return new JsonObject()
        .put("time", Instant.ofEpochMilli(now).toString())
        .put("health", new JsonObject().put("status", s.healthStatus()).put("ready", s.ready()))
        .put(
            "events",
            new JsonObject()
                .put("inPerSecond", round(rates[0]))
                .put("outPerSecond", round(rates[1]))
                .put("windowSeconds", RATE_WINDOW)
                .put("received", s.eventsReceived())
                .put("forwarded", s.eventsForwarded()))
        .put(
            "devices",
            new JsonObject()
                .put("connected", s.connectedDevices())
                .put("paused", s.devices().paused()))
        .put(
            "backlog",
            new JsonObject()
                .put("events", number(b.events()))
                .put("bytes", number(b.bytes()))
                .put("oldestAgeSeconds", number(b.oldestAgeSeconds()))
                .put("trend", points))
        .put(
            "kafka",
            new JsonObject()
                .put("available", k.available())
                .put("answered", k.answered())
                .put("bootstrapServers", k.bootstrapServers())
                .put("lastError", k.lastError())
                .put("lastErrorAt", time(k.lastErrorAtMillis())))
        .put(
            "journal",
            new JsonObject()
                .put("diskUsedBytes", number(d.usedBytes()))
                .put("diskFreeBytes", number(d.freeBytes()))
                .put("maxBytes", d.limitBytes() > 0 ? d.limitBytes() : null)
                .put("minFreeDiskBytes", d.minFreeBytes())
                .put("refusing", d.refusing()))
        .put("refusals", refusals)
        .put("deadLetters", new JsonObject().put("total", dlTotal).put("byReason", counts(dl)));
  }

  // --- /api/deadletters/recent

  private static JsonObject deadLetters(RecentDeadLetters recent) {
    JsonArray list = new JsonArray();
    List<RecentDeadLetters.Entry> entries = recent == null ? List.of() : recent.newestFirst();
    for (RecentDeadLetters.Entry e : entries) {
      DeadLetterNote n = e.note();
      list.add(
          new JsonObject()
              .put("at", Instant.ofEpochMilli(e.atMillis()).toString())
              .put("eventId", n.eventId())
              .put("device", n.device())
              .put("topic", n.topic())
              .put("reason", n.reason())
              .put("error", n.error())
              .put("preview", n.preview()));
    }
    return new JsonObject()
        .put("capacity", recent == null ? 0 : recent.capacity())
        .put("total", recent == null ? 0 : recent.total())
        .put("deadLetters", list);
  }

  // --- /api/devices

  private void devices(HttpServerRequest request, ConsoleSources s) {
    long now = clock.millis();
    SchemaVersionsView schemas = s.schemas();
    String id = request.getParam("id");
    if (id != null) {
      ConnectedDevice d = s.devices().device(id);
      if (d == null) {
        error(request, 404, "no connected device with this client id");
      } else {
        json(request, 200, device(d, schemas, now));
      }
      return;
    }
    int limit;
    int offset;
    try {
      limit = param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
      offset = param(request, "offset", 0, 0, Integer.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      error(request, 400, e.getMessage());
      return;
    }
    List<ConnectedDevice> all = new ArrayList<>(s.devices().devices());
    all.sort(Comparator.comparing(ConnectedDevice::clientId));
    JsonArray page = new JsonArray();
    for (int i = offset; i < all.size() && i < (long) offset + limit; i++) {
      page.add(device(all.get(i), schemas, now));
    }
    json(
        request,
        200,
        new JsonObject()
            .put("total", all.size())
            .put("offset", offset)
            .put("limit", limit)
            .put("devices", page));
  }

  private static JsonObject device(ConnectedDevice d, SchemaVersionsView schemas, long now) {
    JsonObject versions = new JsonObject();
    schemas.versionsOf(d.clientId()).forEach(versions::put);
    return new JsonObject()
        .put("clientId", d.clientId())
        .put("connectedAt", time(d.connectedAtMillis()))
        .put("protocolVersion", d.protocolVersion())
        .put(
            "session",
            new JsonObject()
                .put("cleanSession", d.cleanSession())
                .put("persistent", d.sessionExpirySeconds() > 0)
                .put("expirySeconds", d.sessionExpirySeconds()))
        .put("events", d.events())
        .put("lastSeen", d.lastEventAtMillis() > 0 ? time(d.lastEventAtMillis()) : null)
        .put("ratePerSecond", round(d.averageRate(now)))
        .put("lastQos", d.lastQos() < 0 ? null : d.lastQos())
        .put("paused", d.paused())
        .put("schemaVersions", versions);
  }

  // --- /api/schemas

  private static JsonObject schemas(HttpServerRequest request, SchemaVersionsView v) {
    JsonArray types = new JsonArray();
    for (SchemaVersionsView.TypeVersion t : v.types()) {
      types.add(
          new JsonObject()
              .put("type", t.type())
              .put("version", t.version())
              .put("events", t.events())
              .put("upcast", t.upcast())
              .put("devices", t.devices())
              .put("firstSeen", time(t.firstSeenMillis()))
              .put("lastSeen", time(t.lastSeenMillis()))
              .put("newest", t.newest()));
    }
    List<SchemaVersionsView.DeviceVersion> old = v.devicesOnOldVersions();
    JsonArray devices = new JsonArray();
    for (int i = 0; i < old.size() && i < MAX_LIMIT; i++) {
      SchemaVersionsView.DeviceVersion d = old.get(i);
      devices.add(
          new JsonObject()
              .put("deviceId", d.deviceId())
              .put("type", d.type())
              .put("version", d.version())
              .put("newestVersion", d.newestVersion())
              .put("lastSeen", time(d.lastSeenMillis())));
    }
    return new JsonObject()
        .put("types", types)
        .put("devicesOnOldVersionsTotal", old.size())
        .put("devicesOnOldVersions", devices);
  }

  // --- /api/trace/{eventId}

  private void trace(HttpServerRequest request, ConsoleSources s, String raw) {
    UUID id;
    try {
      id = UUID.fromString(raw.trim());
    } catch (IllegalArgumentException e) {
      error(request, 400, "not an event id (a UUID, as ce_id shows it)");
      return;
    }
    runTrace(request, () -> s.trace(id), id.toString());
  }

  // --- /api/trace?device=ID&last=N&since=T&until=T

  private void traceDevice(HttpServerRequest request, ConsoleSources s) {
    String device = request.getParam("device");
    if (device == null || device.isBlank()) {
      error(request, 400, "device= is needed (or /api/trace/{eventId})");
      return;
    }
    int last;
    Instant since;
    Instant until;
    try {
      String n = request.getParam("last");
      last = n == null ? 20 : Integer.parseInt(n);
      since = instant(request.getParam("since"));
      until = instant(request.getParam("until"));
    } catch (RuntimeException e) {
      error(request, 400, "last= takes 1 to 1000; since= and until= an ISO-8601 instant");
      return;
    }
    if (last < 1 || last > 1000) {
      error(request, 400, "last= takes 1 to 1000");
      return;
    }
    runTrace(request, () -> s.traceDevice(device, since, until, last), "device " + device);
  }

  private static Instant instant(String value) {
    return value == null || value.isBlank() ? null : Instant.parse(value.trim());
  }

  private void runTrace(
      HttpServerRequest request, java.util.concurrent.Callable<String> work, String what) {
    if (tracing) {
      // One at a time: a trace reads journal files and Kafka, work a Pi does not multiply.
      request.response().putHeader("Retry-After", "5");
      error(request, 429, "a trace is running; try again when it is done");
      return;
    }
    tracing = true;
    boolean[] answered = {false};
    long timeout =
        vertx.setTimer(
            TRACE_TIMEOUT.toMillis(),
            t -> {
              answered[0] = true;
              error(request, 504, "the trace took longer than " + TRACE_TIMEOUT.toSeconds() + " s");
            });
    vertx
        .executeBlocking(work, false)
        .onComplete(
            ar -> {
              assert owner.check();
              tracing = false; // only now: a timed-out trace still holds the worker until done
              vertx.cancelTimer(timeout);
              if (answered[0]) {
                return;
              }
              if (ar.succeeded()) {
                HttpServerResponse r = request.response();
                ConsoleAssets.headers(r);
                r.putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(ar.result() + "\n");
              } else {
                log.info("Console trace of {} failed: {}", what, ar.cause().toString());
                error(request, 500, "the trace failed: " + ar.cause());
              }
            });
  }

  // --- /api/stream

  private void stream(HttpServerRequest request) {
    if (streams.size() >= MAX_STREAMS) {
      error(request, 503, MAX_STREAMS + " streams are open already; poll /api/overview");
      return;
    }
    HttpServerResponse r = request.response();
    ConsoleAssets.headers(r);
    r.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        // gzip would hold the events in its buffer
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    streams.add(r);
    r.closeHandler(v -> streams.remove(r));
    r.exceptionHandler(e -> streams.remove(r));
    r.write("retry: 2000\n\n");
  }

  /** Open streams (tests). */
  int streams() {
    return streams.size();
  }

  // --- helpers

  private static int param(HttpServerRequest request, String name, int dflt, int min, int max) {
    String v = request.getParam(name);
    if (v == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max);
    }
    return n;
  }

  private static JsonObject counts(Map<String, Long> byReason) {
    JsonObject o = new JsonObject();
    byReason.forEach(o::put);
    return o;
  }

  private static String time(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** JSON has no NaN: an unknown number is null. */
  private static Object number(double v) {
    if (Double.isNaN(v)) {
      return null;
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    HttpServerResponse r = request.response();
    ConsoleAssets.headers(r);
    r.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode() + "\n");
  }

  private static void error(HttpServerRequest request, int status, String message) {
    json(request, status, new JsonObject().put("error", message));
  }
}
