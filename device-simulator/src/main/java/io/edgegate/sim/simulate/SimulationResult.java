package io.edgegate.sim.simulate;

import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunRecord;
import java.util.List;

/**
 * What a finished run did: its final record, where its files are, and how each burst went.
 *
 * @param connectedAtEnd devices connected when publishing stopped
 */
public record SimulationResult(
    RunRecord record,
    RunDirectory directory,
    double seconds,
    int connectedAtEnd,
    List<BurstReport> bursts) {

  /** Achieved rate of the whole run. */
  public double rate() {
    return seconds <= 0 ? 0 : record.totals.sent / seconds;
  }

  /**
   * One burst occurrence.
   *
   * @param targetRate infinite when the rate was unlimited
   */
  public record BurstReport(
      int burst,
      long occurrence,
      double startSeconds,
      double factor,
      long sent,
      double targetRate,
      double achievedRate) {}
}
