package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bytes written straight are those of the String forms the CloudEvents contract names. */
class HeaderValuesTest {
  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void instantsAreWrittenAsInstantToStringWrites() {
    long[] edges = {
      0,
      1,
      999,
      1000,
      -1,
      -999,
      -1000,
      -86_400_000L,
      951_782_400_000L /* 2000-02-29 */,
      1_700_000_000_000L,
      1_700_000_000_470L,
      253_402_300_799_999L,
      253_402_300_800_000L,
      -62_167_219_200_000L,
      -62_167_219_200_001L,
      Long.MAX_VALUE / 1000,
      Long.MIN_VALUE / 1000
    };
    for (long ms : edges) {
      assertThat(ascii(HeaderValues.instant(ms))).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < 200_000; i++) {
      long ms = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
      if (i % 4 == 0) {
        ms -= ms % 1000; // whole seconds print no fraction
      }
      assertThat(ascii(HeaderValues.instant(ms))).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
  }

  @Test
  void uuidsAndTraceparentsAreWrittenAsTheirStrings() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      UUID id = new UUID(random.nextLong(), random.nextLong());
      assertThat(ascii(HeaderValues.uuid(id))).isEqualTo(id.toString());
      assertThat(ascii(TraceParent.startBytesFor(id))).isEqualTo(TraceParent.startFor(id));
      assertThat(TraceParent.isValid(TraceParent.startFor(id))).isTrue();
    }
    assertThat(ascii(HeaderValues.uuid(new UUID(0, 0)))).isEqualTo(new UUID(0, 0).toString());
  }

  @Test
  void sourcesAreUrlEncodedAsUrlEncoderEncodesThem() {
    byte[] prefix = "edgegate://gw-1/".getBytes(StandardCharsets.UTF_8);
    for (String clientId :
        new String[] {
          "dev-1",
          "a b",
          "x/y?z=1&w",
          "100%",
          "Zähler-ß",
          "日本",
          "emoji-\uD83D\uDE00",
          "*._-~!'()",
          "\u0000\u007f",
          ""
        }) {
      assertThat(
              new String(
                  HeaderValues.urlEncoded(prefix, clientId.getBytes(StandardCharsets.UTF_8)),
                  StandardCharsets.UTF_8))
          .isEqualTo("edgegate://gw-1/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
    }
  }
}
