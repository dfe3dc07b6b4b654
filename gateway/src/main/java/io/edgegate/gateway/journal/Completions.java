package io.edgegate.gateway.journal;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers append outcomes on the contexts that asked for them: one task per context, in append
 * order, so a batch of appends costs one task per event loop, not one per event. Their bytes stay
 * counted in the {@link AppendBudget} until that task runs: until then the events are still in
 * memory, queued on a busy event loop. (Released earlier instead, a flood of QoS 0 publishes kept
 * the budget free while completions piled up behind the reads, and the heap ran out.)
 *
 * <p>Threads: {@link #complete} is called on the writer thread, or on the closing thread once the
 * writer has stopped (so never by two at once; it keeps no state of its own); the outcome runs on
 * each request's context.
 */
final class Completions {
  private static final Logger log = LoggerFactory.getLogger(Completions.class);

  private final AppendBudget budget;

  Completions(AppendBudget budget) {
    this.budget = budget;
  }

  /** Completes {@code done} (each with its index, or its failure) on their contexts. */
  void complete(List<AppendRequest> done) {
    Map<Context, List<AppendRequest>> byContext = new IdentityHashMap<>(4);
    for (AppendRequest r : done) {
      byContext.computeIfAbsent(r.context, c -> new ArrayList<>()).add(r);
    }
    byContext.forEach(
        (context, list) -> {
          long weight = 0;
          for (AppendRequest r : list) {
            weight += r.weight;
          }
          long released = weight;
          context.runOnContext(
              v -> {
                // Release before anyone hears of the outcome: whoever reacts to a completion sees
                // the journal's memory as it now is.
                budget.release(released);
                AssertionError broken = null;
                for (AppendRequest r : list) {
                  try {
                    r.then.done(r.failure == null ? r.index : -1, r.failure);
                  } catch (RuntimeException e) {
                    // One failing listener must not keep the outcome from the others.
                    log.error("Journal append listener failed", e);
                  } catch (AssertionError e) {
                    broken = broken == null ? e : broken; // the others first, then report it
                  }
                }
                if (broken != null) {
                  throw broken;
                }
              });
        });
  }
}
