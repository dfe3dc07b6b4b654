package io.edgegate.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * WARN and ERROR lines a test provokes on purpose (a Kafka outage, a malformed packet, a bad
 * certificate): {@link GatewayHygiene} fails on any other. Each value is a regular expression found
 * ({@link java.util.regex.Matcher#find()}) in the line's formatted message. On a class it allows
 * the lines for every test of the class and for its {@code @BeforeAll}/{@code @AfterAll}; on a
 * method, for that test as well.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ExpectedLogs {
  /** The forwarder's line, once per outage, when Kafka cannot be reached or refuses. */
  String KAFKA_SEND_FAILED = "^Sending to Kafka failed \\(";

  /** The exactly-once forwarder's line, once per outage. */
  String EXACTLY_ONCE_FAILED = "^Exactly-once forwarding to Kafka failed \\(";

  /** Kafka takes the records but acknowledges none for a while (too few in-sync replicas). */
  String KAFKA_STALLED = "^Kafka has answered nothing for over \\d+ ms";

  /** The journal cannot append (its files taken away): devices get no PUBACK meanwhile. */
  String JOURNAL_APPEND_FAILED = "^Journal append failed; devices are not acknowledged";

  /** The journal reader saw its files go and come back (a test moved the directory away). */
  String JOURNAL_READER_REPOSITIONS = "^Journal reader re-positions after entry";

  String[] value();
}
