package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checks on events read back from Kafka: per-device sequences, order and duplicates. */
final class Events {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  private Events() {}

  static int seq(ConsumerRecord<String, byte[]> r) {
    Matcher m = SEQ.matcher(new String(r.value(), StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new AssertionError("no seq in " + new String(r.value(), StandardCharsets.UTF_8));
    }
    return Integer.parseInt(m.group(1));
  }

  /** Sequence numbers per device (the Kafka key), in partition order. */
  static Map<String, List<Integer>> byDevice(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, List<Integer>> out = new HashMap<>();
    // Records of one key share a partition; the consumer returns a partition in offset order.
    for (ConsumerRecord<String, byte[]> r : records) {
      out.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(seq(r));
    }
    return out;
  }

  /**
   * Asserts that each device's events appear in publish order. With re-sends allowed, a repeated
   * event may appear again later, but the first appearance of each sequence number must come in
   * increasing order.
   */
  static void assertFirstAppearancesInOrder(Map<String, List<Integer>> byDevice) {
    byDevice.forEach(
        (device, seqs) -> {
          int last = -1;
          java.util.Set<Integer> seen = new java.util.HashSet<>();
          for (int s : seqs) {
            if (seen.add(s)) {
              assertThat(s).as("order of device %s", device).isGreaterThan(last);
              last = s;
            }
          }
        });
  }
}
