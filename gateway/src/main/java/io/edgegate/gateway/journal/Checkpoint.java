package io.edgegate.gateway.journal;

import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal index up to which Kafka has acknowledged every event; the reader resumes after it.
 *
 * <p>Kept in a small memory-mapped file, so that {@link #advance} is a store into memory (no system
 * call, fine on an event loop) that survives a process crash. It is forced to disk on close only:
 * after a power cut it may be behind, which re-sends some events (same {@code ce_id}) but never
 * skips one. Not thread-safe: one owner thread advances it.
 *
 * <p>Once a reader runs, the checkpoint never passes the last entry the reader handed on: an index
 * beyond it was never forwarded, so advancing to it would skip events (see {@link JournalReader}).
 */
public final class Checkpoint implements AutoCloseable {
  private final Confinement.Owner advancer = Confinement.firstCaller();
  private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

  /** No event forwarded yet. */
  public static final long NONE = -1;

  /** The checkpoint's file in the journal directory. */
  public static final String FILE_NAME = "forwarded.checkpoint";

  private static final int MAGIC = 0x45474350; // "EGCP"
  private static final int VERSION = 1;
  private static final int SIZE = 64;

  private final FileChannel channel;
  private final MappedByteBuffer buffer;
  private volatile long published; // the same value, for readers on other threads
  // The last index the reader handed on; no bound before a reader starts (start-up repairs, the
  // position committed in Kafka).
  private volatile long handedOut = Long.MAX_VALUE;

  private Checkpoint(FileChannel channel, MappedByteBuffer buffer) {
    this.channel = channel;
    this.buffer = buffer;
    this.published = buffer.getLong(8);
  }

  /** Opens or creates the checkpoint file. Blocking. */
  public static Checkpoint open(Path file) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    boolean fresh = ch.size() < SIZE;
    MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    if (fresh || buf.getInt(0) != MAGIC) {
      if (!fresh) {
        ch.close();
        throw new IOException(file + " is not an EdgeGate checkpoint file");
      }
      buf.putLong(8, NONE);
      buf.putInt(4, VERSION);
      buf.putInt(0, MAGIC);
      buf.force();
    }
    return new Checkpoint(ch, buf);
  }

  /**
   * Reads the checkpoint in {@code file} without opening it for writing: tools that run beside a
   * gateway must never change it. {@link #NONE} when there is no checkpoint yet. Blocking.
   */
  public static long peek(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() < SIZE) {
        return NONE; // a gateway is creating it this very moment
      }
      // Mapped, like the owner writes it: an aligned 8-byte load cannot see half a store.
      MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
      buf.order(ByteOrder.LITTLE_ENDIAN);
      int magic = buf.getInt(0);
      if (magic == 0) {
        return NONE; // created, header not yet written (open writes the magic last)
      }
      if (magic != MAGIC) {
        throw new IOException(file + " is not an EdgeGate checkpoint file");
      }
      return buf.getLong(8);
    } catch (NoSuchFileException e) {
      return NONE;
    }
  }

  /** The last index whose event (and every one before it) Kafka acknowledged, or {@link #NONE}. */
  public long index() {
    return buffer.getLong(8);
  }

  /**
   * Moves the checkpoint to {@code index}; refused (logged, not thrown: the caller is a Kafka
   * callback) beyond the last entry the reader handed on.
   */
  public void advance(long index) {
    assert advancer.check();
    long bound = handedOut;
    if (index > bound) {
      log.error(
          "Checkpoint not advanced to {}: the journal reader handed on entries up to {} only",
          Long.toHexString(index),
          Long.toHexString(bound));
      return;
    }
    buffer.putLong(8, index);
    published = index;
  }

  /** {@link #index()} for threads other than the owner (housekeeping, metrics). */
  public long indexSeenByOthers() {
    return published;
  }

  /** The reader handed on every entry up to {@code index}. Reader thread. */
  void handedOut(long index) {
    handedOut = index;
  }

  /** Sets the checkpoint back (journal repair); {@link #NONE} means from the start. */
  void reset(long index) {
    advance(index);
  }

  /** Forces the value to disk. Blocking. */
  public void force() {
    buffer.force();
  }

  @Override
  public void close() throws IOException {
    force();
    channel.close();
  }
}
