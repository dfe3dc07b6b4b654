package io.edgegate.gateway.ingest;

import io.edgegate.gateway.thread.Confinement;
import io.vertx.mqtt.MqttEndpoint;

/**
 * Why a device's socket is paused. Several parts of the gateway pause it for reasons of their own
 * (journal backpressure, the device's rate, its in-flight window, a pending CONNECT check); the
 * socket reads again only when none of them holds it. <b>Confined to the connection's event
 * loop.</b>
 */
final class SocketPauses {
  private final Confinement.Owner owner = Confinement.firstCaller();
  static final int JOURNAL = 1;
  static final int RATE = 2;
  static final int INFLIGHT = 4;
  static final int CONNECT = 8;

  private final MqttEndpoint endpoint;
  private int reasons;

  SocketPauses(MqttEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  void pause(int reason) {
    assert owner.check();
    int before = reasons;
    reasons |= reason;
    if (before == 0) {
      EndpointSockets.pause(endpoint);
    }
  }

  void resume(int reason) {
    assert owner.check();
    if ((reasons & reason) == 0) {
      return;
    }
    reasons &= ~reason;
    if (reasons == 0) {
      EndpointSockets.resume(endpoint);
    }
  }

  /**
   * The connection closed: Vert.x reports the close after the packets it holds for a paused socket,
   * so a socket left paused would never report it (and the device would stay registered).
   */
  void closed() {
    assert owner.check();
    if (reasons != 0) {
      reasons = 0;
      EndpointSockets.resume(endpoint);
    }
  }

  boolean holds(int reason) {
    assert owner.check();
    return (reasons & reason) != 0;
  }
}
