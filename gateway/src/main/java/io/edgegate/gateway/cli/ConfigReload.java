package io.edgegate.gateway.cli;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP ({@code systemctl reload edgegate}): reads the configuration file again, checks it exactly
 * as {@code config check} does, and applies what can change while devices stay connected (see
 * {@link Gateway#reload}). An invalid file changes nothing: one log line names its keys. Reloads
 * run one at a time on a thread of their own, never on the signal dispatcher or an event loop.
 */
final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  private final Path file;
  private final AtomicReference<Gateway> running = new AtomicReference<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "edgegate-reload");
            t.setDaemon(true);
            return t;
          });

  private ConfigReload(Path file) {
    this.file = file;
  }

  /** Handles SIGHUP from now on (a reload before the start completed is ignored, and says so). */
  static ConfigReload install(Path file) {
    ConfigReload r = new ConfigReload(file);
    try {
      sun.misc.SignalHandler before =
          Signal.handle(new Signal("HUP"), s -> r.thread.execute(r::reload));
      if (before == sun.misc.SignalHandler.SIG_IGN) {
        // Ignored when the process started (nohup, some supervisors): the JVM then leaves it
        // ignored, and a reload would silently do nothing. systemd starts services without this.
        log.warn(
            "SIGHUP was ignored when this process started (nohup?): reloads will not happen;"
                + " start the gateway with SIGHUP at its default to reload it");
      }
    } catch (IllegalArgumentException e) {
      log.debug("SIGHUP cannot be handled here: {}", e.getMessage());
    }
    return r;
  }

  /** The gateway reloads apply to, once it runs. */
  void running(Gateway gateway) {
    running.set(gateway);
  }

  void reload() {
    Gateway gateway = running.get();
    if (gateway == null) {
      log.warn("SIGHUP ignored: the gateway is still starting");
      return;
    }
    GatewayConfig next;
    try {
      next = ConfigCheck.loadChecked(file);
    } catch (ConfigException e) {
      log.warn(
          "Reload refused, the running configuration stays: {}: {}",
          file,
          String.join("; ", e.problems()));
      return;
    } catch (RuntimeException e) {
      log.warn("Reload refused, the running configuration stays: {}", EdgeGateCommand.describe(e));
      return;
    }
    try {
      Gateway.Reloaded r = gateway.reload(next).await(60, TimeUnit.SECONDS);
      log.info(
          "Reloaded {}: {}",
          file,
          r.applied().isEmpty() ? "nothing to apply live" : "now in force: " + r.applied());
      if (!r.needRestart().isEmpty()) {
        log.warn("Changed keys that take effect only after a restart: {}", r.needRestart());
      }
    } catch (Exception e) {
      log.warn("Reload failed, the running configuration stays: {}", EdgeGateCommand.describe(e));
    }
  }
}
