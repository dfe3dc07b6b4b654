package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One element of {@code bursts}: from {@code at} after the start, for {@code duration}, the rate is
 * {@code factor} times the normal rate; repeated every {@code every} when set. A factor below 1
 * makes a lull (0: silence).
 */
public final class BurstSettings {
  private static final Pattern SPEC =
      Pattern.compile("(\\d+(?:\\.\\d+)?)x([^@/]+)@([^@/]+)(?:/([^@/]+))?");

  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration at;

  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration duration;

  public double factor = 10;

  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration every;

  public BurstSettings() {}

  public BurstSettings(Duration at, Duration duration, double factor, Duration every) {
    this.at = at;
    this.duration = duration;
    this.factor = factor;
    this.every = every;
  }

  /**
   * The command-line form {@code FACTORxDURATION@AT[/EVERY]}: {@code 10x5s@20s} is ten times the
   * rate for 5 s from 20 s on; {@code 3x2s@10s/30s} repeats every 30 s.
   */
  public static BurstSettings parse(String spec) {
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + spec + "' is not a burst (use FACTORxDURATION@AT[/EVERY], e.g. 10x5s@20s)");
    }
    return new BurstSettings(
        Values.parseDuration(m.group(3)),
        Values.parseDuration(m.group(2)),
        Double.parseDouble(m.group(1)),
        m.group(4) == null ? null : Values.parseDuration(m.group(4)));
  }

  @Override
  public String toString() {
    return Values.formatRate(factor)
        + "x"
        + Values.format(duration)
        + "@"
        + Values.format(at)
        + (every == null ? "" : "/" + Values.format(every));
  }

  void validate(Problems p, String key) {
    p.require(at != null && !at.isNegative(), key + ".at", "must be set, 0s or more");
    p.require(
        duration != null && duration.toMillis() > 0, key + ".duration", "must be set, above 0s");
    p.require(factor >= 0 && factor <= 1_000_000, key + ".factor", "must be from 0 to 1000000");
    p.require(
        every == null || duration == null || every.compareTo(duration) > 0,
        key + ".every",
        "must be longer than the burst's duration");
  }
}
