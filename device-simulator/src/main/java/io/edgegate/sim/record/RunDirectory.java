package io.edgegate.sim.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's files under the runs directory ({@code data/sim-runs/<runId>/}): {@code run.json} (the
 * {@link RunRecord}), {@code acks.tsv} (acknowledged sequence ranges) and, after an audit, {@code
 * audit.json}. Thread-safe for different runs; one writer per run.
 */
public final class RunDirectory {
  public static final Path DEFAULT_ROOT = Path.of("data", "sim-runs");
  static final String RECORD = "run.json";
  static final String ACKS = "acks.tsv";
  static final String AUDIT = "audit.json";

  public static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path dir;
  private final String runId;

  private RunDirectory(Path dir, String runId) {
    this.dir = dir;
    this.runId = runId;
  }

  /** A new run's directory; fails if that run id was used before. */
  public static RunDirectory create(Path root, String runId) throws IOException {
    Path dir = root.resolve(runId);
    Files.createDirectories(root);
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IOException("run " + runId + " exists already (" + dir + "): choose another id", e);
    }
    return new RunDirectory(dir, runId);
  }

  /** An existing run's directory, if it holds a record. */
  public static Optional<RunDirectory> find(Path root, String runId) {
    Path dir = root.resolve(runId);
    return Files.isRegularFile(dir.resolve(RECORD))
        ? Optional.of(new RunDirectory(dir, runId))
        : Optional.empty();
  }

  /** The run that started last, by the start time in its record. */
  public static Optional<RunDirectory> latest(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    RunDirectory best = null;
    Instant bestStart = Instant.MIN;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        Optional<RunDirectory> run = find(root, d.getFileName().toString());
        if (run.isEmpty()) {
          continue;
        }
        try {
          RunRecord r = run.get().readRecord();
          Instant start = Instant.parse(r.startedAt);
          if (start.isAfter(bestStart)) {
            best = run.get();
            bestStart = start;
          }
        } catch (IOException | RuntimeException e) {
          // an unreadable record is not a candidate
        }
      }
    }
    return Optional.ofNullable(best);
  }

  public String runId() {
    return runId;
  }

  public Path dir() {
    return dir;
  }

  public Path ackFile() {
    return dir.resolve(ACKS);
  }

  public Path auditFile() {
    return dir.resolve(AUDIT);
  }

  public RunRecord readRecord() throws IOException {
    return JSON.readValue(dir.resolve(RECORD).toFile(), RunRecord.class);
  }

  /** Replaces the record atomically: a reader never sees half a file. */
  public void writeRecord(RunRecord record) throws IOException {
    Path tmp = dir.resolve(RECORD + ".tmp");
    JSON.writeValue(tmp.toFile(), record);
    Files.move(
        tmp,
        dir.resolve(RECORD),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Receives the ack record's ranges. */
  public interface RangeConsumer {
    void range(String deviceId, long first, long last);
  }

  /** Streams the ack record (no need to hold it in memory); a missing file has no ranges. */
  public void readAcks(RangeConsumer consumer) throws IOException {
    Path file = ackFile();
    if (!Files.exists(file)) {
      return;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        try {
          if (f.length != 3) {
            throw new NumberFormatException("expected 3 fields");
          }
          consumer.range(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
          throw new UncheckedIOException(
              new IOException(file + ":" + n + ": not a range line: '" + line + "'"));
        }
      }
    }
  }
}
