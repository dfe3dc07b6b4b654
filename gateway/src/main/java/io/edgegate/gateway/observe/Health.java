package io.edgegate.gateway.observe;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The gateway's health as the admin endpoints report it: the state of each component and what
 * follows for liveness and readiness. Thread-safe; a report reads only in-memory state (volatile
 * fields, the last backlog measurement), so it is fine on an event loop.
 *
 * <p>Readiness means "devices may send": the MQTT listener is up and the journal takes appends.
 * Kafka being away only <em>degrades</em> the gateway, since the journal buffers (that is its
 * purpose): a load balancer must not take a gateway out of service because Kafka is down, or every
 * gateway of a site would go at once. Liveness means the process answers; it does not depend on any
 * component, so that an orchestrator never restarts a gateway that is draining or buffering.
 */
public final class Health {

  /** A component's state, from best to worst. */
  public enum Status {
    /** Working. */
    UP,
    /** Working with a problem that loses nothing (Kafka away, device sockets paused). */
    DEGRADED,
    /** Not working: devices cannot be served. */
    DOWN;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where the gateway is in its life. Only {@link #RUNNING} can be ready. */
  public enum Phase {
    STARTING,
    RUNNING,
    STOPPING;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One component's state.
   *
   * @param reason why it is not {@link Status#UP}, or null
   * @param details numbers and names an operator needs to see at a glance
   */
  public record Component(Status status, String reason, Map<String, Object> details) {
    public static Component up(Map<String, Object> details) {
      return new Component(Status.UP, null, details);
    }
  }

  /** A named check, evaluated at each report. */
  private record Check(String name, Supplier<Component> check) {}

  private final List<Check> checks = new CopyOnWriteArrayList<>();
  private final long startedAtMillis;
  private volatile Phase phase = Phase.STARTING;

  public Health(long startedAtMillis) {
    this.startedAtMillis = startedAtMillis;
  }

  /** Adds a component; its check runs at every report and must not block. */
  public void register(String name, Supplier<Component> check) {
    checks.add(new Check(name, check));
  }

  public void phase(Phase phase) {
    this.phase = phase;
  }

  public Phase phase() {
    return phase;
  }

  /** The report at this moment. */
  public Report report() {
    Map<String, Component> components = new LinkedHashMap<>();
    Status worst = Status.UP;
    for (Check c : checks) {
      Component component;
      try {
        component = c.check().get();
      } catch (RuntimeException e) {
        // A check that throws is a bug, but the endpoint must still answer: report it as down.
        component = new Component(Status.DOWN, "health check failed: " + e, Map.of());
      }
      components.put(c.name(), component);
      if (component.status().compareTo(worst) > 0) {
        worst = component.status();
      }
    }
    Phase p = phase;
    Status overall = p == Phase.RUNNING ? worst : Status.DOWN;
    return new Report(p, overall, components);
  }

  /**
   * One report.
   *
   * @param status the worst component's status; {@link Status#DOWN} unless {@link Phase#RUNNING}
   */
  public record Report(Phase phase, Status status, Map<String, Component> components) {
    /** Devices may send: running, and no component down (degraded is ready). */
    public boolean ready() {
      return phase == Phase.RUNNING && status != Status.DOWN;
    }

    public JsonObject toJson() {
      JsonObject c = new JsonObject();
      components.forEach(
          (name, component) -> {
            JsonObject j = new JsonObject().put("status", component.status().json());
            if (component.reason() != null) {
              j.put("reason", component.reason());
            }
            component.details().forEach(j::put);
            c.put(name, j);
          });
      return new JsonObject()
          .put("status", status.json())
          .put("ready", ready())
          .put("phase", phase.json())
          .put("components", c);
    }
  }

  /** The liveness answer: the process is up and its event loops answer. */
  public JsonObject liveness(long nowMillis) {
    return new JsonObject()
        .put("status", "up")
        .put("phase", phase.json())
        .put("uptimeSeconds", Math.max(0, nowMillis - startedAtMillis) / 1000.0);
  }
}
