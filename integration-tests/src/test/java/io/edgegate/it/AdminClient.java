package io.edgegate.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a gateway's admin endpoints over HTTP, as Prometheus and an orchestrator do. */
final class AdminClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  AdminClient(int port) {
    this.port = port;
  }

  record Response(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  Response get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code /health/ready}, or a 0 status while nothing answers yet. */
  Response readiness() {
    try {
      return get("/health/ready");
    } catch (UncheckedIOException e) {
      return new Response(0, "");
    }
  }

  Scrape scrape() {
    Response r = get("/metrics");
    if (r.status() != 200) {
      throw new AssertionError("/metrics answered " + r.status() + ": " + r.body());
    }
    return new Scrape(r.body());
  }

  /** One scrape in the Prometheus text format: samples by name, with their labels. */
  static final class Scrape {
    private static final Pattern SAMPLE =
        Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL =
        Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    final String text;
    final List<Sample> samples = new ArrayList<>();

    Scrape(String text) {
      this.text = text;
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = SAMPLE.matcher(line.trim());
        if (!m.matches()) {
          throw new AssertionError("not a Prometheus sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.add(new Sample(m.group(1), labels, value(m.group(4))));
      }
    }

    private static double value(String text) {
      return switch (text) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    }

    boolean has(String name) {
      return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum of {@code name}'s samples whose labels include {@code labelPairs} (k, v, k, v…). */
    double sum(String name, String... labelPairs) {
      return samples.stream()
          .filter(s -> s.name().equals(name))
          .filter(s -> matches(s.labels(), labelPairs))
          .mapToDouble(Sample::value)
          .sum();
    }

    private static boolean matches(Map<String, String> labels, String... pairs) {
      for (int i = 0; i + 1 < pairs.length; i += 2) {
        if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }
}
