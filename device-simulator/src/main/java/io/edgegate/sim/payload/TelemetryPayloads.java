package io.edgegate.sim.payload;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * JSON telemetry that looks like a real sensor's: temperature and humidity wander around the
 * device's own baseline (mean-reverting random walks), the battery drains and is replaced when
 * nearly empty, the position drifts a few metres around the device's home, and the radio signal
 * strength wanders. The stamp fields come first so that a reader can stop early:
 *
 * <pre>{"run":"…","device":"sim-0001","seq":17,"sentAt":1763910077293,"temperature":21.37,
 *  "humidity":45.2,"battery":97.81,"lat":48.137154,"lon":11.575382,"rssi":-67}</pre>
 *
 * <p>Written by hand rather than with a JSON generator: the ids are validated to need no escaping
 * ({@code [A-Za-z0-9._:-]}), and this runs once per message on the pacer thread. Not thread-safe.
 */
public final class TelemetryPayloads implements PayloadSource {
  // Home positions spread over about 20 km around a city centre (Munich).
  private static final double BASE_LAT = 48.137154;
  private static final double BASE_LON = 11.575382;
  private static final String PAD_FIELD = ",\"pad\":\"";

  private final SplittableRandom random;
  private final int padTo;
  private final StringBuilder out = new StringBuilder(256);
  private final double baseTemperature;
  private final double baseHumidity;
  private final double homeLat;
  private final double homeLon;
  private double temperature;
  private double humidity;
  private double battery;
  private double lat;
  private double lon;
  private double rssi;

  /**
   * @param random this device's own generator
   * @param padTo pad each document with a {@code "pad"} field to at least this many bytes (0: no
   *     padding); a document already longer is left as it is
   */
  public TelemetryPayloads(SplittableRandom random, int padTo) {
    this.random = random;
    this.padTo = padTo;
    baseTemperature = 18 + random.nextDouble() * 8;
    baseHumidity = 35 + random.nextDouble() * 25;
    homeLat = BASE_LAT + (random.nextDouble() - 0.5) * 0.2;
    homeLon = BASE_LON + (random.nextDouble() - 0.5) * 0.3;
    temperature = baseTemperature + random.nextDouble() - 0.5;
    humidity = baseHumidity + random.nextDouble() * 4 - 2;
    battery = 60 + random.nextDouble() * 40;
    lat = homeLat;
    lon = homeLon;
    rssi = -55 - random.nextDouble() * 30;
  }

  @Override
  public byte[] next(Stamp s) {
    step();
    StringBuilder b = out;
    b.setLength(0);
    b.append("{\"run\":\"").append(s.runId());
    b.append("\",\"device\":\"").append(s.deviceId());
    b.append("\",\"seq\":").append(s.seq());
    b.append(",\"sentAt\":").append(s.sentAtMillis());
    b.append(",\"temperature\":");
    fixed(b, temperature, 2);
    b.append(",\"humidity\":");
    fixed(b, humidity, 1);
    b.append(",\"battery\":");
    fixed(b, battery, 2);
    b.append(",\"lat\":");
    fixed(b, lat, 6);
    b.append(",\"lon\":");
    fixed(b, lon, 6);
    b.append(",\"rssi\":").append(Math.round(rssi));
    int missing = padTo - (b.length() + 1); // ids are ASCII: chars = bytes
    if (missing >= PAD_FIELD.length() + 1) {
      b.append(PAD_FIELD);
      for (int i = PAD_FIELD.length() + 1; i < missing; i++) {
        b.append('x');
      }
      b.append('"');
    }
    b.append('}');
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  private void step() {
    temperature += 0.02 * (baseTemperature - temperature) + gaussian(0.05);
    humidity = clamp(humidity + 0.02 * (baseHumidity - humidity) + gaussian(0.2), 0, 100);
    battery -= random.nextDouble() * 0.001;
    if (battery < 5) {
      battery = 100; // replaced
    }
    lat += 0.01 * (homeLat - lat) + gaussian(0.00002);
    lon += 0.01 * (homeLon - lon) + gaussian(0.00003);
    rssi = clamp(rssi + gaussian(0.5), -110, -40);
  }

  private double gaussian(double sigma) {
    // Sum of uniforms (Irwin-Hall, n = 4): close enough to normal for telemetry, and cheap.
    double sum = random.nextDouble() + random.nextDouble() + random.nextDouble();
    sum += random.nextDouble();
    return (sum - 2) * sigma * Math.sqrt(3);
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  /** Appends {@code v} with exactly {@code decimals} digits after the point, no exponent. */
  static void fixed(StringBuilder b, double v, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) {
      scale *= 10;
    }
    long n = Math.round(v * scale);
    if (n < 0) {
      b.append('-');
      n = -n;
    }
    b.append(n / scale);
    if (decimals > 0) {
      b.append('.');
      String frac = Long.toString(n % scale);
      for (int i = frac.length(); i < decimals; i++) {
        b.append('0');
      }
      b.append(frac);
    }
  }
}
