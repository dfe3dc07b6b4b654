package io.edgegate.gateway.observe.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The console's page: three files from the jar ({@code /console/}), read once at start and served
 * from memory with their content types, an ETag (a browser asks again each time and gets a 304
 * while the gateway is the same build) and a Content-Security-Policy that allows only the page's
 * own script and style: no inline script, no other origin. Immutable, thread-safe.
 */
public final class ConsoleAssets {
  /**
   * Only the page's own files; data comes from the same origin; no frames, forms or plugins. The
   * page puts device-controlled strings in with {@code textContent}; this policy is the second
   * line.
   */
  public static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(Buffer body, String type, String etag) {}

  private final Map<String, Asset> byPath;

  public ConsoleAssets() {
    Asset index = load("index.html", "text/html; charset=utf-8");
    byPath =
        Map.of(
            "/", index,
            "/console", index,
            "/console/", index,
            "/console/index.html", index,
            "/console/console.js", load("console.js", "text/javascript; charset=utf-8"),
            "/console/console.css", load("console.css", "text/css; charset=utf-8"));
  }

  /** True (and answered) if {@code path} is one of the page's files. Any thread. */
  public boolean serve(HttpServerRequest request) {
    Asset a = byPath.get(request.path());
    if (a == null) {
      return false;
    }
    HttpServerResponse r = request.response();
    headers(r);
    r.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.ETAG, a.etag());
    if (a.etag().equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
      r.setStatusCode(304).end();
      return true;
    }
    r.putHeader(HttpHeaders.CONTENT_TYPE, a.type()).end(a.body());
    return true;
  }

  /** What every console answer carries: the policy, no sniffing, no referrer. */
  public static void headers(HttpServerResponse r) {
    r.putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }

  private static Asset load(String name, String type) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console/" + name + " is missing from the jar");
      }
      byte[] bytes = in.readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      String etag = "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
      return new Asset(Buffer.buffer(bytes), type, etag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
