package io.edgegate.gateway.trace;

import java.util.List;

/**
 * How far Kafka was asked.
 *
 * @param status whether Kafka was asked and answered
 * @param problem why it could not be asked, or what limited the search; null when neither
 * @param topics the topics searched
 * @param recordsScanned records read while searching
 * @param complete whether every partition was searched up to its end (not cut short by the record
 *     bound or the time limit)
 */
public record KafkaAnswer(
    Status status, String problem, List<String> topics, long recordsScanned, boolean complete) {

  public enum Status {
    /** Kafka answered; the records found are in the results. */
    ASKED,
    /** Kafka could not be reached (or refused the look-ups): only the journal answered. */
    UNREACHABLE,
    /** The trace had no Kafka to ask (a journal directory without a configuration). */
    NOT_ASKED
  }

  public static KafkaAnswer notAsked(String why) {
    return new KafkaAnswer(Status.NOT_ASKED, why, List.of(), 0, false);
  }
}
