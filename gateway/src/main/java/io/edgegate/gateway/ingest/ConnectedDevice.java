package io.edgegate.gateway.ingest;

/**
 * One connected device as the admin console shows it, read from its connection on request.
 *
 * @param clientId the MQTT client id (device-controlled: escape it when shown)
 * @param connectedAtMillis when its CONNECT was accepted
 * @param protocolVersion 3 (3.1), 4 (3.1.1) or 5
 * @param cleanSession clean start (no session kept after it goes)
 * @param sessionExpirySeconds how long its session outlives the connection (0: not at all)
 * @param events PUBLISH packets it sent that went to the journal (or were held for it)
 * @param lastEventAtMillis the receive time of the last of them, 0 before the first
 * @param lastQos the QoS of the last of them, -1 before the first
 * @param paused its socket waits for journal room
 */
public record ConnectedDevice(
    String clientId,
    long connectedAtMillis,
    int protocolVersion,
    boolean cleanSession,
    long sessionExpirySeconds,
    long events,
    long lastEventAtMillis,
    int lastQos,
    boolean paused) {

  /** Events per second averaged over the connection, as of {@code nowMillis}. */
  public double averageRate(long nowMillis) {
    long up = Math.max(1, nowMillis - connectedAtMillis);
    return events * 1000.0 / up;
  }
}
