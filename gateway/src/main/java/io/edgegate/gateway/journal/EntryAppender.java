package io.edgegate.gateway.journal;

import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chronicle appender of {@link JournalWriter} and what it writes: each request's event encoded
 * as one entry ({@link JournalCodec}), a fresh appender after a failure, and the last append or
 * sync failure.
 *
 * <p><b>Confined to the writer thread</b> {@code edgegate-journal-writer} (an appender is not
 * thread-safe): every method but {@link #lastFailure} is called on the writer thread and asserts
 * it; {@code lastFailure} is read on any thread.
 */
final class EntryAppender {
  private static final Logger log = LoggerFactory.getLogger(EntryAppender.class);

  private final SingleChronicleQueue queue;
  private final JournalStats stats;
  private final Completions completions;
  private final Thread writer;
  private ExcerptAppender appender; // writer thread only
  private volatile Throwable lastFailure;

  EntryAppender(
      SingleChronicleQueue queue, JournalStats stats, Completions completions, Thread writer) {
    this.queue = queue;
    this.stats = stats;
    this.completions = completions;
    this.writer = writer;
  }

  /**
   * Appends each request; returns those that succeeded (the others are failed here). Called on the
   * writer thread.
   */
  List<AppendRequest> appendAll(List<AppendRequest> batch) {
    assert Thread.currentThread() == writer : "the appender belongs to the writer thread";
    List<AppendRequest> ok = new ArrayList<>(batch.size());
    List<AppendRequest> failed = null;
    for (AppendRequest r : batch) {
      long start = System.nanoTime();
      try {
        DocumentContext dc = appender().writingDocument();
        try {
          JournalCodec.write(dc.wire().bytes(), r.event);
        } catch (Throwable e) {
          dc.rollbackOnClose();
          throw e;
        } finally {
          dc.close();
        }
        r.index = appender.lastIndexAppended();
        stats.appended(r.weight, System.nanoTime() - start);
        ok.add(r);
      } catch (Throwable e) {
        // Chronicle rethrows checked I/O exceptions unchecked (e.g. FileNotFoundException when the
        // next cycle file cannot be created): catch everything, fail this event, keep the thread.
        if (failed == null) {
          failed = new ArrayList<>();
        }
        r.failure = new JournalUnavailableException("journal append failed: " + e, e);
        failed.add(r);
        noteFailure(e, "append");
        replaceAppender();
      }
    }
    if (failed != null) {
      completions.complete(failed);
    } else if (!ok.isEmpty()) {
      recovered();
    }
    return ok;
  }

  /** Makes every entry appended so far durable (fsync). Called on the writer thread. */
  void sync() {
    assert Confinement.onThread(writer);
    appender().sync();
  }

  /**
   * After a failed append (e.g. the next cycle file could not be created) Chronicle's appender may
   * be left pointing at the previous file: take a fresh one, so that the next append tries again
   * from a clean state. Called on the writer thread.
   */
  private void replaceAppender() {
    assert Confinement.onThread(writer);
    ExcerptAppender failed = appender;
    appender = null;
    LeakedWriteLock.release(queue);
    if (failed != null) {
      try {
        failed.close();
      } catch (Throwable e) {
        log.debug("Closing a failed journal appender: {}", e.toString());
      }
    }
  }

  private ExcerptAppender appender() {
    assert Confinement.onThread(writer);
    if (appender == null) {
      appender = queue.createAppender();
    }
    return appender;
  }

  private void recovered() {
    assert Confinement.onThread(writer);
    if (lastFailure != null) {
      lastFailure = null;
      log.info("Journal appends work again");
    }
  }

  /** Counts a failed append or sync, logged once until one works again. Writer thread. */
  void noteFailure(Throwable e, String what) {
    assert Confinement.onThread(writer);
    Throwable previous = lastFailure;
    lastFailure = e;
    stats.failed();
    if (previous == null) {
      log.error("Journal {} failed; devices are not acknowledged until it works again", what, e);
    }
  }

  /** The last append or sync failure, or null when the last one succeeded. Any thread. */
  Throwable lastFailure() {
    return lastFailure;
  }

  /** Closes the appender, when the writer stops. Called on the writer thread. */
  void close() {
    assert Confinement.onThread(writer);
    if (appender != null) {
      appender.close();
    }
  }
}
