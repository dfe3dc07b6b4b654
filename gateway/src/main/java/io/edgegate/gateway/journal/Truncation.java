package io.edgegate.gateway.journal;

import java.io.File;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * A journal file shorter than what was written into it: a crash cut it (sync none, power cut) and
 * no gateway has started on it since (its start repairs it, see {@link TailRepair}).
 *
 * <p>Why a read-only view must know: Chronicle maps files in large chunks, and a read-only mapping
 * cannot extend a file. Reading a mapped page wholly past the file's end faults (SIGBUS), which the
 * JVM reports as an {@link InternalError} at some later instruction of the reading thread, so it
 * cannot be caught reliably: such reads have to be avoided. Past the end but within the last page,
 * bytes read as zeros.
 *
 * @param written where Chronicle wrote its last entry header, or -1 when even the file's header and
 *     first index arrays are cut off (nothing in the file is readable)
 */
record Truncation(File file, long length, long written) {
  /** The smallest page size of the platforms we run on; larger pages are multiples of it. */
  private static final long PAGE = 4096;

  /** How far past an entry's end the next header may lie (alignment padding plus the header). */
  static final long NEXT_HEADER_SLACK = 128;

  /** Reads below this position cannot fault. */
  long safeEnd() {
    return (length + PAGE - 1) / PAGE * PAGE;
  }

  /** Whether nothing of the file can be read safely. */
  boolean unreadable() {
    return written < 0;
  }

  String describe() {
    return file.getName()
        + " holds "
        + length
        + " bytes"
        + (written < 0 ? "" : " but was written up to byte " + written)
        + ": a crash cut it off (the gateway's next start quarantines it)";
  }

  /** The truncation of the file of {@code cycle}, or null when it is whole (or absent). */
  static Truncation of(SingleChronicleQueue queue, int cycle) {
    File file = JournalFiles.fileOf(queue.file().toPath(), queue.rollCycle(), cycle).toFile();
    long length = file.length();
    if (length == 0 && !file.exists()) {
      return null;
    }
    // The first entry follows the store header and two index arrays (index-to-index and the
    // first index), a few hundred bytes past 2 x indexCount x 8: unless the file keeps the page
    // that follows those arrays, reading its first header would fault.
    Truncation cut = new Truncation(file, length, -1);
    if (cut.safeEnd() < 2L * queue.indexCount() * Long.BYTES + PAGE) {
      return cut;
    }
    SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
    if (store == null) {
      return null;
    }
    try {
      long written = store.writePosition();
      return written + Integer.BYTES > length ? new Truncation(file, length, written) : null;
    } finally {
      queue.closeStore(store);
    }
  }
}
