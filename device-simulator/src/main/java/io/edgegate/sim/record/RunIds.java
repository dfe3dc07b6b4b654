package io.edgegate.sim.record;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Run ids: short, sortable by start time, safe in JSON, file names and the binary stamp ({@code
 * 20261123-150117-k3x9}: UTC start time and four random characters).
 */
public final class RunIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private RunIds() {}

  public static String generate(Clock clock) {
    StringBuilder b = new StringBuilder(TIME.format(clock.instant())).append('-');
    for (int i = 0; i < 4; i++) {
      b.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  public static boolean isValid(String runId) {
    return runId != null && VALID.matcher(runId).matches() && !runId.startsWith(".");
  }
}
