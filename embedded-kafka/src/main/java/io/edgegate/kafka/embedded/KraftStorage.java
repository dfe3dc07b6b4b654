package io.edgegate.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * Formats a node's data directory on first use only, so a restart keeps its data and cluster id.
 */
final class KraftStorage {

  private static final String CLUSTER_ID_FILE = "cluster.id";

  private KraftStorage() {}

  /**
   * Formats {@code dataDir} unless it already holds a formatted node.
   *
   * @param logDir where the cluster id is kept
   * @param propsFile the node's configuration: the storage tool reads it from a file only
   */
  static void formatIfNeeded(Path logDir, Path dataDir, Path propsFile) throws IOException {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return;
    }
    String clusterId = clusterId(logDir);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exitCode =
          StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", propsFile.toString(), "--standalone"},
              printer);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + dataDir
              + ": "
              + output.toString(StandardCharsets.UTF_8),
          e);
    }
    if (exitCode != 0) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + dataDir
              + " (exit code "
              + exitCode
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** Reuses the id of an earlier format, so a wiped data directory rejoins the same cluster. */
  private static String clusterId(Path logDir) throws IOException {
    Path file = logDir.resolve(CLUSTER_ID_FILE);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    String clusterId = Uuid.randomUuid().toString();
    Files.writeString(file, clusterId, StandardCharsets.US_ASCII);
    return clusterId;
  }
}
