package io.edgegate.gateway.forward;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The producer side of {@link TransactionalForwarder}: every call to the transactional producer
 * (connect, a transaction's sends and commit, an abort) as one task on the sender thread, its
 * outcome handed back to the loop as one task, so a transaction costs two hand-offs, not two per
 * record.
 *
 * <p>Threads: the methods below are called on the forward loop (asserted) and run their producer
 * calls on the <b>sender thread</b>, never the loop (asserted there: a commit may block for as long
 * as Kafka is away); {@code then} runs on the loop.
 */
final class TransactionCalls {
  private final ForwardLoop loop;
  private final Executor sender;
  private final Supplier<Producer<String, byte[]>> producers;
  private final TransactionPosition position;

  /**
   * @param sender runs every producer call, one task at a time, in order, off the loop
   * @param producers makes replacement producers; blocking, called on the sender thread
   */
  TransactionCalls(
      ForwardLoop loop,
      Executor sender,
      Supplier<Producer<String, byte[]>> producers,
      TransactionPosition position) {
    this.loop = loop;
    this.sender = sender;
    this.producers = producers;
    this.position = position;
  }

  /** A producer ready for transactions, and the journal index Kafka has committed last. */
  record Connected(Producer<String, byte[]> producer, long committed) {}

  /** How a transaction failed to commit, and whether it was aborted since. */
  record Failed(Throwable error, boolean aborted) {}

  /**
   * Closes {@code old} (if any), then initialises {@code first} or else a new producer, which
   * fences a former one with the same {@code transactional.id}, and reads the committed position.
   * Called on the loop.
   */
  void connect(
      Producer<String, byte[]> old,
      Producer<String, byte[]> first,
      BiConsumer<Connected, Throwable> then) {
    assert loop.inLoop();
    onSender(
        () -> {
          if (old != null) {
            old.close(Duration.ZERO); // its transaction is resolved by the next init
          }
          position.ensureTopic();
          Producer<String, byte[]> p = first != null ? first : producers.get();
          try {
            p.initTransactions(); // fences a former producer with the same id
            return new Connected(p, position.read());
          } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
          }
        },
        then);
  }

  /**
   * Sends {@code records} (a null one is skipped) in one transaction and commits it; {@code then}
   * gets null when it committed, else how it failed. Each send's error is in {@code errors} at the
   * record's place by the time {@code then} runs. Called on the loop.
   */
  void commit(
      Producer<String, byte[]> p,
      List<ProducerRecord<String, byte[]>> records,
      AtomicReferenceArray<Throwable> errors,
      BiConsumer<Failed, Throwable> then) {
    assert loop.inLoop();
    onSender(
        () -> {
          p.beginTransaction();
          for (int i = 0; i < records.size(); i++) {
            ProducerRecord<String, byte[]> r = records.get(i);
            if (r == null) {
              continue;
            }
            int at = i;
            try {
              p.send(
                  r,
                  (metadata, e) -> {
                    if (e != null) {
                      errors.compareAndSet(at, null, e);
                    }
                  });
            } catch (RuntimeException e) {
              errors.compareAndSet(at, null, e);
            }
            if (errors.get(at) != null) {
              break; // refused at once: the transaction cannot commit
            }
          }
          try {
            p.commitTransaction();
            return null;
          } catch (RuntimeException e) {
            // Aborting waits (up to max.block.ms) until every send of the transaction has its
            // answer, so a record refused for good is known below.
            try {
              p.abortTransaction();
              return new Failed(e, true);
            } catch (RuntimeException notAborted) {
              return new Failed(e, false);
            }
          }
        },
        then);
  }

  /** Aborts {@code p}'s open transaction. Called on the loop. */
  void abort(Producer<String, byte[]> p, BiConsumer<Object, Throwable> then) {
    assert loop.inLoop();
    onSender(
        () -> {
          p.abortTransaction();
          return null;
        },
        then);
  }

  /** Work for the sender thread, and its result or failure handed back to the loop. */
  private interface SenderWork<T> {
    T run() throws Exception;
  }

  private <T> void onSender(SenderWork<T> work, BiConsumer<T, Throwable> then) {
    sender.execute(
        () -> {
          assert !loop.inLoop();
          T result = null;
          Throwable error = null;
          try {
            result = work.run();
          } catch (Throwable e) {
            error = e;
          }
          T r = result;
          Throwable f = error;
          loop.execute(() -> then.accept(r, f));
        });
  }
}
