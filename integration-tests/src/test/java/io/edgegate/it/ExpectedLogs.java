package io.edgegate.it;

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
@interface ExpectedLogs {
  String[] value();
}
