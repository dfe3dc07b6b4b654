package io.edgegate.sim.audit;

import io.edgegate.sim.record.RunDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What to audit and where to read it. Plain data; not thread-safe. */
public final class AuditOptions {
  public String bootstrapServers = "127.0.0.1:9092";
  public List<String> topics = new ArrayList<>(List.of("edgegate.events"));

  /** Extra consumer settings (security, SASL, …). */
  public Map<String, String> consumerProperties = new LinkedHashMap<>();

  /**
   * Runs to audit. Empty: every run found in [from, to] if a range is given, else the latest run.
   */
  public List<String> runIds = new ArrayList<>();

  public Path runsDir = RunDirectory.DEFAULT_ROOT;

  /** Kafka record timestamps considered; null: from 10 s before the runs started. */
  public Instant from;

  /** Null: no upper bound. */
  public Instant to;

  /**
   * Once the end of the topic is reached with acknowledged events still missing, how long to keep
   * reading for them, counted from the last one found.
   */
  public Duration wait = Duration.ofSeconds(10);

  public Set<AuditReport.FailOn> failOn = AuditReport.defaultFailOn();

  /** Lost events listed by id in the report, per run. */
  public int lostExamples = 20;
}
