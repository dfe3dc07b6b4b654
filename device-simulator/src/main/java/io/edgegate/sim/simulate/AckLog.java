package io.edgegate.sim.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's ack record: one line per closed range of acknowledged sequence numbers, {@code
 * device<TAB>first<TAB>last} (inclusive), appended as ranges close. A device's ranges are disjoint
 * and ascending; different devices' lines interleave. Ids are validated to hold no whitespace.
 * Thread-safe (ranges close on the MQTT client's threads).
 */
final class AckLog implements AutoCloseable {
  static final String HEADER =
      "# edgegate-sim acknowledged sequence ranges: device, first, last (inclusive)";

  private final BufferedWriter out;
  private long ranges;
  private long acknowledged;
  private IOException failure;
  private boolean closed;

  AckLog(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(HEADER);
    out.write('\n');
  }

  synchronized void range(String deviceId, long first, long last) {
    ranges++;
    acknowledged += last - first + 1;
    if (failure != null) {
      return;
    }
    try {
      out.write(deviceId);
      out.write('\t');
      out.write(Long.toString(first));
      out.write('\t');
      out.write(Long.toString(last));
      out.write('\n');
    } catch (IOException e) {
      failure = e; // reported at close: the run goes on, its record is marked incomplete
    }
  }

  /** Acknowledged sequence numbers written so far. */
  synchronized long acknowledged() {
    return acknowledged;
  }

  synchronized long ranges() {
    return ranges;
  }

  /** Closes without reporting a failure: for error paths, where another one is on its way. */
  synchronized void closeQuietly() {
    try {
      close();
    } catch (UncheckedIOException e) {
      // the caller is already failing
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new UncheckedIOException("the ack record could not be written", failure);
    }
  }
}
