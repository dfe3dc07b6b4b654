package io.edgegate.gateway.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a dead-letter replay found and did, counted by outcome. Every dead letter read falls in
 * exactly one count. Written by the replaying thread only; read it when the replay returned.
 */
public final class ReplaySummary {
  /** Still-failing events listed one by one; beyond that only counted. */
  static final int MAX_LISTED = 1000;

  /** One event that still fails: where it is, why it was dead-lettered, why it fails now. */
  public record StillFailing(
      String position, String ceId, String device, String was, String now, String error) {}

  private final String topic;
  private final boolean dryRun;
  private long examined;
  private final Map<String, Long> passed = new TreeMap<>();
  private final Map<String, Long> stillFailing = new TreeMap<>();
  private final Map<String, Long> notReplayable = new TreeMap<>();
  private long alreadyReplayed;
  private long skippedByFilters;
  private long otherGateways;
  private long repeats;
  private long expired;
  private long failed;
  private final List<StillFailing> listed = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  public ReplaySummary(String topic, boolean dryRun) {
    this.topic = topic;
    this.dryRun = dryRun;
  }

  void countExamined() {
    examined++;
  }

  /** Passed the pipeline and went to (or, in a dry run, would go to) {@code toTopic}. */
  void countPassed(String toTopic) {
    passed.merge(toTopic, 1L, Long::sum);
  }

  void countStillFailing(DeadLetter d, String now, String error) {
    stillFailing.merge(now, 1L, Long::sum);
    if (listed.size() < MAX_LISTED) {
      listed.add(new StillFailing(d.position(), d.ceId(), d.clientId(), d.reason(), now, error));
    }
  }

  void countNotReplayable(String why) {
    notReplayable.merge(why, 1L, Long::sum);
  }

  void countAlreadyReplayed() {
    alreadyReplayed++;
  }

  void countSkippedByFilters() {
    skippedByFilters++;
  }

  void countOtherGateway() {
    otherGateways++;
  }

  void countRepeat() {
    repeats++;
  }

  void countExpired() {
    expired++;
  }

  /** {@code n} events passed but their sends were not committed: they stay dead letters. */
  void countFailed(long n, String problem) {
    failed += n;
    problems.add(problem);
  }

  public boolean dryRun() {
    return dryRun;
  }

  public long examined() {
    return examined;
  }

  public long passed() {
    return sum(passed);
  }

  /** Passed, by the topic they went to. */
  public Map<String, Long> passedByTopic() {
    return Map.copyOf(passed);
  }

  public long stillFailing() {
    return sum(stillFailing);
  }

  /** Still failing, by the reason they fail with now. */
  public Map<String, Long> stillFailingByReason() {
    return Map.copyOf(stillFailing);
  }

  /** The first {@value #MAX_LISTED} still failing, in the order read. */
  public List<StillFailing> stillFailingListed() {
    return List.copyOf(listed);
  }

  public long notReplayable() {
    return sum(notReplayable);
  }

  public Map<String, Long> notReplayableByWhy() {
    return Map.copyOf(notReplayable);
  }

  public long alreadyReplayed() {
    return alreadyReplayed;
  }

  public long skippedByFilters() {
    return skippedByFilters;
  }

  public long otherGateways() {
    return otherGateways;
  }

  public long repeats() {
    return repeats;
  }

  public long expired() {
    return expired;
  }

  public long failed() {
    return failed;
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Whether every event that passed was sent (always, in a dry run). */
  public boolean complete() {
    return failed == 0 && problems.isEmpty();
  }

  /** The summary for people: a headline, one line per count, then the events still failing. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(
        "dead-letter replay of "
            + topic
            + (dryRun ? " (dry run: nothing sent)" : "")
            + ": "
            + examined
            + " dead letter(s) read");
    out.add(line(dryRun ? "would pass" : "passed, sent", passed(), passed));
    out.add(line("still failing", stillFailing(), stillFailing));
    out.add(line("already replayed", alreadyReplayed, Map.of()));
    out.add(line("skipped by filters", skippedByFilters, Map.of()));
    if (otherGateways > 0) {
      out.add(line("another gateway's", otherGateways, Map.of()));
    }
    out.add(line("not replayable", notReplayable(), notReplayable));
    if (repeats > 0) {
      out.add(line("repeats suppressed", repeats, Map.of()));
    }
    if (expired > 0) {
      out.add(line("expired, not sent", expired, Map.of()));
    }
    if (failed > 0) {
      out.add(line("failed, not sent", failed, Map.of()));
    }
    for (String p : problems) {
      out.add("  problem: " + p);
    }
    if (!listed.isEmpty()) {
      out.add("still failing:");
      for (StillFailing s : listed) {
        out.add(
            "  "
                + s.position()
                + " ce_id="
                + s.ceId()
                + " device="
                + s.device()
                + " "
                + s.was()
                + " -> "
                + s.now()
                + ": "
                + s.error());
      }
      long unlisted = stillFailing() - listed.size();
      if (unlisted > 0) {
        out.add("  … and " + unlisted + " more");
      }
    }
    return out;
  }

  /** The summary for scripts; the same counts as {@link #lines}. */
  public ObjectNode json(ObjectMapper mapper) {
    ObjectNode o = mapper.createObjectNode();
    o.put("topic", topic);
    o.put("dryRun", dryRun);
    o.put("examined", examined);
    o.put("passed", passed());
    o.set("passedByTopic", mapper.valueToTree(passed));
    o.put("stillFailing", stillFailing());
    o.set("stillFailingByReason", mapper.valueToTree(stillFailing));
    o.put("alreadyReplayed", alreadyReplayed);
    o.put("skippedByFilters", skippedByFilters);
    o.put("otherGateways", otherGateways);
    o.put("notReplayable", notReplayable());
    o.set("notReplayableByWhy", mapper.valueToTree(notReplayable));
    o.put("repeats", repeats);
    o.put("expired", expired);
    o.put("failed", failed);
    o.set("problems", mapper.valueToTree(problems));
    o.set("stillFailingEvents", mapper.valueToTree(listed));
    return o;
  }

  private static String line(String what, long n, Map<String, Long> by) {
    StringBuilder s = new StringBuilder(String.format("  %-20s %d", what, n));
    if (!by.isEmpty()) {
      s.append(" (");
      by.forEach(
          (k, v) ->
              s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ")
                  .append(k)
                  .append(' ')
                  .append(v));
      s.append(')');
    }
    return s.toString();
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }
}
