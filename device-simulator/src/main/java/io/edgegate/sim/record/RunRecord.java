package io.edgegate.sim.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code run.json}: what a run was and what it did, for the audit and for people. Written when the
 * run starts ({@link #STATUS_RUNNING}) and again when it ends. Plain data; not thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RunRecord {
  public static final String STATUS_RUNNING = "running";
  public static final String STATUS_FINISHED = "finished";

  public String runId;
  public String name;
  public String simulator;

  /** {@link #STATUS_RUNNING} until the run ends; a record left so did not end cleanly. */
  public String status;

  /** Why publishing stopped: duration reached, every device sent its count, stopped. */
  public String stopReason;

  /** ISO-8601 instants. */
  public String startedAt;

  public String finishedAt;
  public String broker;
  public int mqttVersion;
  public int qos;
  public int devices;
  public String topic;
  public String payload;
  public Totals totals = new Totals();

  /** The scenario as run (command-line options applied), passwords masked. */
  public JsonNode scenario;

  /** Counts at the end of the run; {@code acknowledged} equals the ranges in the ack record. */
  public static final class Totals {
    public long sent;
    public long acknowledged;

    /** QoS 0 publishes handed to the network (there is no acknowledgement at QoS 0). */
    public long written;

    public long failed;

    /** Outcomes that arrived after the run stopped waiting (drain timeout): not acknowledged. */
    public long late;

    public long connects;
    public long connectFailures;
    public long drops;
    public long churned;
    public long ackRanges;
  }
}
