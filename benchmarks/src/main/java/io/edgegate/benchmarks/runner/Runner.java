package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks/run}: Mosquitto, a raw Kafka producer and EdgeGate side by side on this
 * machine, in one go; writes raw CSV/JSON, {@code REPORT.md} with the ratios, and PNG charts.
 */
@Command(
    name = "benchmarks/run",
    mixinStandardHelpOptions = true,
    description = "EdgeGate against Mosquitto and a raw Kafka producer, with a report and charts.")
public final class Runner implements Callable<Integer> {
  static final List<String> SCENARIOS =
      List.of(
          "mosquitto",
          "raw",
          "e2e",
          Neighbour.NEIGHBOUR,
          Console.CONSOLE,
          "drain",
          "scale",
          "outage",
          "coldstart",
          "startup");
  private static final long MAX_LOG_BYTES = 256 * 1024;

  @Option(names = "--quick", description = "Short loads, one configuration each (under a minute).")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Results directory (default: benchmarks/results/<date>-<host>).")
  Path out;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "SCENARIO",
      description =
          "Run only these: mosquitto, raw, e2e, neighbour, console, drain, scale, outage,"
              + " coldstart, startup.")
  List<String> only;

  @Option(
      names = "--mosquitto",
      paramLabel = "PATH",
      description =
          "The Mosquitto executable (default: found on the PATH or in /usr/sbin); none: leave it out.")
  String mosquitto;

  @Option(names = "--jfr", description = "Record each gateway with JFR (files in the work dir).")
  boolean jfr;

  @Option(
      names = "--load",
      paramLabel = "SECONDS",
      description = "Length of each load (default: 15, quick: 2).")
  Integer loadSeconds;

  @Option(
      names = "--replot",
      description =
          "Only redraw the charts and rewrite REPORT.md of the run in --out from its results.json"
              + " (with --quick for a quick run's plan).")
  boolean replot;

  @Option(names = "--keep-work", description = "Keep the work directory (journals, logs).")
  boolean keepWork;

  @Option(
      names = "--profile",
      paramLabel = "NAME=FILE",
      description =
          "A deployment profile for the memory and cold-start scenarios: a configuration file"
              + " (JAVA_OPTS=\"…\" in its header become its JVM options). Repeatable; default:"
              + " the shipped default and raspberry-pi=config/raspberry-pi.yaml.")
  List<String> profileSpecs;

  @Option(
      names = "--profile-env",
      paramLabel = "NAME:KEY=VALUE",
      description =
          "An environment variable for bin/edgegate under that profile (e.g."
              + " raspberry-pi:JAVA_OPTS=-Xmx128m, or a launcher's profile variable). Repeatable.")
  List<String> profileEnv;

  @Option(
      names = "--jmh",
      paramLabel = "FILE",
      description = "JMH results (JSON) to include (default: jmh-result.json if it exists).")
  Path jmh;

  @Option(
      names = "--soak",
      arity = "0..1",
      fallbackValue = "30",
      paramLabel = "MINUTES",
      description =
          "Instead of the benchmarks: a soak of MINUTES (default 30) — 1,000 devices at half the"
              + " measured QoS 1 maximum, device churn, a Kafka outage in the middle; writes"
              + " SOAK.md and charts.")
  Integer soakMinutes;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Runner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Set<String> run = new LinkedHashSet<>(only == null ? SCENARIOS : only);
    for (String s : run) {
      if (!SCENARIOS.contains(s)) {
        System.err.println("--only: unknown scenario " + s + " (known: " + SCENARIOS + ")");
        return 2;
      }
    }
    if (replot) {
      return replot();
    }
    Map<String, Object> machine = Machine.describe();
    if (out == null) {
      out = Path.of("benchmarks", "results", machine.get("date") + "-" + machine.get("host"));
    }
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("edgegate-bench");
    Plan defaults = quick ? Plan.quick() : Plan.full();
    Plan plan = loadSeconds == null ? defaults : defaults.withLoad(Duration.ofSeconds(loadSeconds));
    List<Profile> profiles;
    try {
      profiles = profiles();
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("--profile: " + e.getMessage());
      return 2;
    }
    Optional<Path> broker =
        mosquitto == null
            ? MosquittoChild.find()
            : "none".equals(mosquitto) ? Optional.empty() : Optional.of(Path.of(mosquitto));
    Bench b = new Bench(plan, quick, jfr, out, work, broker);
    b.profiles = profiles;
    if (soakMinutes != null) {
      int exit = Soak.run(b, soakMinutes, machine);
      if (!keepWork) {
        DirectoryTrees.deleteTree(work);
      }
      return exit;
    }
    b.log(
        "results: %s; work: %s; mosquitto: %s",
        out, work, b.mosquitto.map(Path::toString).orElse("not installed"));
    List<String> failed = new ArrayList<>();
    try (KafkaProcess kafka = new KafkaProcess(b, work.resolve("kafka"))) {
      b.kafka = kafka;
      b.log("kafka ready in %.1f s at %s", kafka.start(), kafka.bootstrapServers());
      step(b, run, failed, "mosquitto", () -> References.mosquitto(b));
      step(b, run, failed, "raw", () -> References.rawProducerMax(b));
      step(b, run, failed, "e2e", () -> EndToEnd.run(b));
      step(
          b,
          run,
          failed,
          "raw",
          () -> {
            double eg =
                b.results.value(
                    EndToEnd.E2E,
                    Results.EDGEGATE,
                    "sync batch",
                    1,
                    plan.maxClients(),
                    "throughput");
            double raw =
                b.results.value(
                    References.KAFKA, Results.RAW, "", 1, plan.maxClients(), "throughput");
            References.rawProducerLatency(b, Math.floor((Double.isNaN(eg) ? raw : eg) / 2));
          });
      step(b, run, failed, Neighbour.NEIGHBOUR, () -> Neighbour.run(b));
      step(b, run, failed, Console.CONSOLE, () -> Console.run(b));
      step(b, run, failed, "drain", () -> Drain.run(b));
      step(b, run, failed, "scale", () -> Scale.run(b));
      step(b, run, failed, "outage", () -> OutageDrain.run(b));
      step(b, run, failed, "coldstart", () -> ColdStart.run(b));
      step(b, run, failed, "startup", () -> StartUp.run(b));
    }
    try {
      Jmh.read(b, jmh);
    } catch (IOException | RuntimeException e) {
      b.results.notMeasured.put("allocation per event (JMH)", "unreadable results file: " + e);
    }
    machine.put("loadAfter", Machine.loadAverage());
    b.results.write(out, machine);
    List<String> charts = Charts.write(b, out);
    String command =
        "benchmarks/run"
            + (quick ? " --quick" : "")
            + (only == null ? "" : " --only " + String.join(",", only));
    Report.write(b, out.resolve("REPORT.md"), machine, charts, command);
    Files.writeString(out.resolve("ratios.md"), Report.ratioTable(b));
    copySmallLogs(b.logDir, out.resolve("logs"));
    if (keepWork || jfr) {
      b.log("work directory kept: %s", work);
    } else {
      DirectoryTrees.deleteTree(work);
    }
    b.log("report: %s%s", out.resolve("REPORT.md"), failed.isEmpty() ? "" : "; FAILED: " + failed);
    return failed.isEmpty() ? 0 : 1;
  }

  @SuppressWarnings("unchecked")
  private int replot() throws IOException {
    if (out == null || !Files.exists(out.resolve("results.json"))) {
      System.err.println("--replot needs --out DIR holding a run's results.json");
      return 2;
    }
    Path json = out.resolve("results.json");
    Map<String, Object> machine =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), Map.class);
    machine = (Map<String, Object>) machine.get("machine");
    Path work = Files.createTempDirectory("edgegate-bench");
    try {
      Bench b =
          new Bench(
              quick ? Plan.quick() : Plan.full(),
              quick,
              false,
              out,
              work,
              Optional.empty(),
              Results.read(json));
      List<String> charts = Charts.write(b, out);
      String command = "benchmarks/run" + (quick ? " --quick" : "");
      Report.write(b, out.resolve("REPORT.md"), machine, charts, command);
      Files.writeString(out.resolve("ratios.md"), Report.ratioTable(b));
      b.log("report and charts redrawn: %s", out.resolve("REPORT.md"));
    } finally {
      DirectoryTrees.deleteTree(work);
    }
    return 0;
  }

  /** The profiles given, or the shipped default and the checkout's Raspberry Pi profile. */
  private List<Profile> profiles() throws IOException {
    List<Profile> list = new ArrayList<>();
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (String e : profileEnv == null ? List.<String>of() : profileEnv) {
      int colon = e.indexOf(':');
      int eq = e.indexOf('=', colon + 1);
      if (colon < 1 || eq < colon + 2) {
        throw new IllegalArgumentException("--profile-env " + e + ": expected NAME:KEY=VALUE");
      }
      env.computeIfAbsent(e.substring(0, colon), k -> new LinkedHashMap<>())
          .put(e.substring(colon + 1, eq), e.substring(eq + 1));
    }
    if (profileSpecs == null) {
      list.add(
          new Profile(
              Profile.DEFAULT,
              Optional.empty(),
              Map.copyOf(env.getOrDefault(Profile.DEFAULT, Map.of()))));
      Path pi = GatewayChild.launcher().getParent().getParent().resolve("config/raspberry-pi.yaml");
      if (Files.exists(pi)) {
        list.add(
            Profile.fromFile(
                Profile.RASPBERRY_PI, pi, env.getOrDefault(Profile.RASPBERRY_PI, Map.of())));
      }
    } else {
      for (String spec : profileSpecs) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(0, eq);
        Map<String, String> e = env.getOrDefault(name, Map.of());
        if (eq < 0) {
          list.add(new Profile(name, Optional.empty(), Map.copyOf(e)));
        } else {
          Path file = Path.of(spec.substring(eq + 1));
          if (!Files.exists(file)) {
            throw new IllegalArgumentException(spec + ": no such file");
          }
          list.add(Profile.fromFile(name, file, e));
        }
      }
    }
    return list;
  }

  interface Step {
    void run() throws Exception;
  }

  /** Runs one scenario if selected; a failure is recorded and the run goes on with the next. */
  private static void step(Bench b, Set<String> run, List<String> failed, String name, Step step) {
    if (!run.contains(name)) {
      return;
    }
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      failed.add(name);
      b.results.notMeasured.merge(name, "failed: " + e, (a, c) -> a + "; " + c);
      b.log("%s FAILED: %s", name, e);
      e.printStackTrace(System.out);
    }
  }

  /** Child output worth keeping next to the results; large files (and JFR recordings) stay out. */
  private static void copySmallLogs(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if ((n.endsWith(".out") || n.endsWith(".err")) && Files.size(p) > 0) {
          if (Files.size(p) <= MAX_LOG_BYTES) {
            Files.copy(p, to.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } else {
            Files.writeString(to.resolve(n + ".truncated"), Child.tail(Files.readString(p)));
          }
        }
      }
    }
  }
}
