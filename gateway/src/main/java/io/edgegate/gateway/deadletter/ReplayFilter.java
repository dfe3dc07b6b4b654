package io.edgegate.gateway.deadletter;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters a replay takes: by the reason they were dead-lettered with, by device, and by
 * when the gateway received the event ({@code ce_time}: the time an operator knows from the
 * device's side, not when the record was written). Empty criteria take everything; a dead letter
 * without what a criterion asks about (no {@code ce_time} under {@code --since}) is not taken.
 * Immutable; any thread.
 *
 * @param reasons any of these reasons (empty: any reason)
 * @param device only this device's (MQTT client id), or null
 * @param since received at or after, or null
 * @param until received before, or null
 */
public record ReplayFilter(Set<String> reasons, String device, Instant since, Instant until) {
  public static final ReplayFilter ALL = new ReplayFilter(Set.of(), null, null, null);

  public ReplayFilter {
    reasons = Set.copyOf(reasons);
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException("since " + since + " is not before until " + until);
    }
  }

  /** Whether the replay takes {@code d}. */
  public boolean admits(DeadLetter d) {
    if (!reasons.isEmpty() && (d.reason() == null || !reasons.contains(d.reason()))) {
      return false;
    }
    if (device != null && !device.equals(d.clientId())) {
      return false;
    }
    if (since == null && until == null) {
      return true;
    }
    Instant t = d.receivedAt();
    return t != null
        && (since == null || !t.isBefore(since))
        && (until == null || t.isBefore(until));
  }
}
