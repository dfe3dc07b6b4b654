package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * {@code admin.*}: the operator's HTTP endpoints, Prometheus metrics ({@code /metrics}) and health
 * ({@code /health/live}, {@code /health/ready}), on their own address, apart from the devices'.
 */
public final class AdminConfig {
  /** Serve the endpoints. Metrics are still kept when off (nothing serves them). */
  public boolean enabled = true;

  /**
   * Address to listen on; {@code 0.0.0.0} for all interfaces (Prometheus scrapes from elsewhere),
   * {@code 127.0.0.1} to keep it on the box. Reachable from elsewhere, protect it with {@code
   * admin.auth} and {@code admin.tls} (or a firewall).
   */
  public String host = "0.0.0.0";

  /** TCP port; 0 picks a free one (tests). */
  public int port = 8080;

  /**
   * How often the backlog and journal disk gauges are measured. They read journal files, on a
   * thread of their own; a scrape reads the last measurement.
   */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration refreshInterval = Duration.ofSeconds(5);

  /** Credentials the endpoints ask for; none unless set. */
  public AdminAuthConfig auth = new AdminAuthConfig();

  /** HTTPS for the endpoints; off unless enabled. */
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
