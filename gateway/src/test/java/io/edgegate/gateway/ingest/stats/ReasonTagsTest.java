package io.edgegate.gateway.ingest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The {@code reason} tags of the MQTT side's meters: unique within their meter, in the form
 * Prometheus users filter on, and the ones the README's tables name (section "Authentication",
 * table "Refusals", and section "Metrics" of the device security part).
 */
class ReasonTagsTest {
  static <E extends Enum<E>> List<String> tags(Class<E> type, Function<E, String> tag) {
    List<String> tags = Arrays.stream(type.getEnumConstants()).map(tag).toList();
    assertThat(tags).as(type.getSimpleName() + " tags").doesNotHaveDuplicates();
    assertThat(tags).allMatch(t -> t.matches("[a-z0-9]+(-[a-z0-9]+)*"), "lower-case-with-dashes");
    return tags;
  }

  @Test
  void connectionRefusalsAreThoseOfTheRefusalTable() {
    assertThat(tags(ConnectionRefusal.class, ConnectionRefusal::tag))
        .containsExactlyInAnyOrder(
            // README, table "Refusals"
            "bad-credentials",
            "not-authorized",
            "client-id-invalid",
            "server-busy",
            "bad-authentication-method",
            "will-not-authorized",
            "retain-not-supported",
            "connection-rate-exceeded",
            "tls-not-tls",
            "tls-handshake-timeout",
            "tls-bad-certificate",
            "tls-handshake-failed",
            "tls-closed-in-handshake",
            "tls-error",
            "too-many-connections",
            "too-many-from-address",
            "connect-timeout",
            "protocol-error",
            "message-too-large",
            // not in the table: failures before CONNECT, and the persistent-session limit
            "client-id-rejected",
            "network-error",
            "sessions-full");
  }

  @Test
  void connectionClosesAreThoseTheMetricsTableNames() {
    assertThat(tags(ConnectionClose.class, ConnectionClose::tag))
        .containsExactly(
            "keep-alive-timeout", "packet-timeout", "rate-exceeded", "receive-maximum-exceeded");
  }

  @Test
  void subscriptionRefusalsMatchTheirSubackCodes() {
    // SUBACK 0x8F, 0x9E, 0x87, 0x97 in that order (SubscriptionRequests.subscribe).
    assertThat(tags(SubscriptionRefusal.class, SubscriptionRefusal::tag))
        .containsExactly(
            "invalid-filter", "shared-not-supported", "not-authorized", "quota-exceeded");
  }

  @Test
  void publishRefusalsAreTheRefusedAndDroppedTags() {
    assertThat(tags(PublishRefusal.class, PublishRefusal::tag))
        .containsExactly(
            "journal-full", "journal-error", "not-authorized", "payload-format-invalid");
  }
}
