package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * {@code admin.*}: the operator's HTTP endpoints, Prometheus metrics ({@code /metrics}) and health
 * ({@code /health/live}, {@code /health/ready}), on their own address, apart from the devices'.
 */
public final class AdminConfig {
  @KeyDoc("Serve the endpoints. Metrics are still kept when off (nothing serves them).")
  public boolean enabled = true;

  @KeyDoc(
      "Address to listen on; `0.0.0.0` for all interfaces (Prometheus scrapes from "
          + "elsewhere), `127.0.0.1` to keep it on the box. Reachable from elsewhere, protect"
          + " it with `admin.auth` and `admin.tls` (or a firewall).")
  public String host = "0.0.0.0";

  @KeyDoc("TCP port; 0 picks a free one (tests).")
  public int port = 8080;

  @KeyDoc(
      "How often the backlog and journal disk gauges are measured. They read journal "
          + "files, on a thread of their own; a scrape reads the last measurement.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration refreshInterval = Duration.ofSeconds(5);

  @KeyDoc(
      "Credentials the admin endpoints ask for, as Prometheus sends them "
          + "(`authorization: {credentials_file: …}` for a bearer token, `basic_auth` for a "
          + "user name and password). Off when neither is set; with both set, either is "
          + "accepted. Secrets belong in files (`bearerToken: "
          + "${file:/etc/edgegate/admin-token}`); they are read at start.")
  public AdminAuthConfig auth = new AdminAuthConfig();

  @KeyDoc(
      "HTTPS for the admin endpoints (Prometheus `scheme: https` with "
          + "`tls_config.ca_file`); off unless `enabled`; TLS 1.3 and 1.2 only.")
  public AdminTlsConfig tls = new AdminTlsConfig();

  void validate(Problems problems, MqttConfig mqtt) {
    problems.notBlank(host, "admin.host");
    if (auth != null) {
      auth.validate(problems);
    }
    if (tls != null) {
      tls.validate(problems);
    }
    problems.port(port, "admin.port");
    problems.require(
        !enabled || port == 0 || port != mqtt.port || !sameHost(host, mqtt.host),
        "admin.port",
        "must differ from mqtt.port (both are " + port + ")");
    problems.require(
        refreshInterval != null
            && refreshInterval.toMillis() >= 100
            && refreshInterval.toMinutes() <= 5,
        "admin.refreshInterval",
        "must be from 100ms to 5m");
  }

  private static boolean sameHost(String a, String b) {
    return a == null || b == null || a.equals(b) || "0.0.0.0".equals(a) || "0.0.0.0".equals(b);
  }
}
