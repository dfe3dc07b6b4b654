package io.edgegate.gateway.journal;

import io.vertx.core.Context;

/**
 * One event on its way into the journal. Made on the appending context, handed to the writer thread
 * through the writer's queue (which orders the two), which sets {@link #index} or {@link #failure};
 * read back on the context by the completion task (whose hand-off orders that too).
 */
final class AppendRequest {
  final JournalEvent event;
  final int weight;
  final Context context;
  final JournalWriter.Appended then;
  long index;
  Throwable failure;

  AppendRequest(JournalEvent event, int weight, Context context, JournalWriter.Appended then) {
    this.event = event;
    this.weight = weight;
    this.context = context;
    this.then = then;
  }
}
