package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.ArrayList;
import java.util.List;

/** Memory against connected devices, per deployment profile, beside Mosquitto's. */
final class ScaleSection {
  private ScaleSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    md.line(
        "| profile | devices | EdgeGate RSS MiB | anonymous RSS MiB | heap MiB | RSS KiB/device | heap KiB/device | Mosquitto RSS MiB |"
            + " Mosquitto KiB/device | RSS ÷ Mosquitto | RSS/device ÷ Mosquitto | heap KiB/idle connection | EdgeGate events/s |");
    md.line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (String c : profiles(r)) {
      for (int d : b.plan.scaleDevices()) {
        double rss = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss");
        double per = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss-per-device");
        double mq = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss");
        double mqPer = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss-per-device");
        md.line(
            "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                .formatted(
                    c,
                    d,
                    num1(rss),
                    num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss-anonymous")),
                    num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-after-gc")),
                    num1(per),
                    num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-per-device")),
                    num1(mq),
                    num1(mqPer),
                    ratio(rss, mq),
                    ratio(per, mqPer),
                    num1(
                        r.value(
                            Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-per-idle-connection")),
                    num(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "forwarded-rate"))));
      }
    }
    md.line("");
    md.line(
        "Profiles: "
            + String.join(
                "; ",
                b.profiles.stream().map(p -> "**" + p.name() + "**: " + p.describe()).toList())
            + ".");
  }

  /** The profiles the scale scenario measured (the shipped default first). */
  static List<String> profiles(Results r) {
    List<String> p = new ArrayList<>();
    p.add(Profile.DEFAULT);
    for (Results.Row x : r.rows()) {
      if (x.scenario().equals(Scale.SCALE)
          && x.system().equals(Results.EDGEGATE)
          && !p.contains(x.config())) {
        p.add(x.config());
      }
    }
    return p;
  }
}
