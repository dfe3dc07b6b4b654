package io.edgegate.gateway.ingest.limits;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs at most {@code perWindow} lines per window and then one line saying how many were left out:
 * a storm of refused devices must not fill the disk or drown the other logs. Thread-safe.
 *
 * <p>Everything logged through it comes from devices: {@link #clean} makes such text safe to log
 * (control characters escaped, length capped), so a client id cannot forge log lines.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong windowStart;
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, int perWindow, long windowNanos, LongSupplier nanoTime) {
    this.log = log;
    this.perWindow = perWindow;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
    this.windowStart = new AtomicLong(nanoTime.getAsLong());
  }

  /** An INFO line, if this window has room for it. */
  public void info(String format, Object... args) {
    long now = nanoTime.getAsLong();
    long start = windowStart.get();
    if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
      long left = suppressed.getAndSet(0);
      if (left > 0) {
        log.info(
            "{} similar messages left out in the last {} s", left, windowNanos / 1_000_000_000);
      }
    }
    if (inWindow.incrementAndGet() <= perWindow) {
      log.info(format, args);
    } else {
      suppressed.incrementAndGet();
    }
  }

  /** {@code text} from a device, fit for a log line: at most 64 characters, controls escaped. */
  public static String clean(String text) {
    return clean(text, 64);
  }

  /** {@code text} from a device, fit for a log line: at most {@code max} characters. */
  public static String clean(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > out.length()) {
      out.append('…');
    }
    return out.toString();
  }
}
