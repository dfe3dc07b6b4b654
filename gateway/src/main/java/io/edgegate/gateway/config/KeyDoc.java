package io.edgegate.gateway.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The documentation of a configuration key, on the field that binds it: one line per key with its
 * effect, next to its type and default, as Kafka's {@code ConfigDef} keeps name, type, default and
 * doc together. {@link ConfigReference} turns them into {@code docs/configuration.md}; a test fails
 * when a key has none or the page is out of date.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface KeyDoc {
  /** What the key does and what it interacts with, in Markdown; concise and factual. */
  String value();

  /**
   * The default in words when the field's initial value does not show it (it is computed from
   * another key or the machine: {@code <gateway.dataDir>/journal}, the host name). Empty: the
   * field's initial value, written as the file would write it.
   */
  String defaultValue() default "";

  /**
   * The unit of a plain number ({@code events}, {@code connections/s}). Sizes are bytes and
   * durations a time, written with their unit; they need none here.
   */
  String unit() default "";
}
