package io.edgegate.gateway.pipeline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device metadata by device id (site, model, firmware, owner, location, tags…) from a YAML or CSV
 * file. {@link #reloadIfChanged()} re-reads the file when its time or size changed — blocking, so
 * the owner calls it on a worker — and swaps in the new map atomically: lookups (on the pipeline's
 * event loop) never wait and never see half a file. A file that does not parse keeps the previous
 * map in force and is reported.
 *
 * <p>YAML: {@code dev-1: {site: plant-a, model: X1, tags: [a, b]}} (nested maps flatten to dotted
 * keys, lists to comma-separated values). CSV: a header row; the first column is the device id.
 */
public final class DeviceRegistry {
  private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private final Path file;
  private volatile Map<String, Map<String, String>> devices = Map.of();
  private FileTime loadedTime; // reload thread only
  private long loadedSize = -1;

  public DeviceRegistry(Path file) {
    this.file = file;
  }

  /** An empty registry: every device is unknown, nothing is reloaded. */
  public static DeviceRegistry none() {
    return new DeviceRegistry(null);
  }

  public boolean configured() {
    return file != null;
  }

  /** The device's metadata, or null when the device is not in the registry. Any thread. */
  public Map<String, String> lookup(String deviceId) {
    return devices.get(deviceId);
  }

  public int size() {
    return devices.size();
  }

  /**
   * Reads the file again if it changed since the last load. Blocking. Returns true if a new map is
   * in force; throws if the file cannot be read or parsed (the old map stays).
   */
  public synchronized boolean reloadIfChanged() throws IOException {
    if (file == null) {
      return false;
    }
    FileTime time = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    if (time.equals(loadedTime) && size == loadedSize) {
      return false;
    }
    Map<String, Map<String, String>> loaded = read(file);
    devices = loaded;
    loadedTime = time;
    loadedSize = size;
    log.info("Device registry {}: {} devices", file, loaded.size());
    return true;
  }

  private static Map<String, Map<String, String>> read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    Map<String, Map<String, String>> out = new HashMap<>();
    if (name.endsWith(".csv")) {
      CsvSchema schema = CsvSchema.emptySchema().withHeader();
      try (MappingIterator<Map<String, String>> rows =
          CSV.readerFor(Map.class).with(schema).readValues(file.toFile())) {
        List<String> columns = null;
        while (rows.hasNext()) {
          Map<String, String> row = rows.next();
          if (columns == null) {
            columns = List.copyOf(row.keySet());
          }
          String id = row.get(columns.get(0));
          if (id == null || id.isBlank()) {
            continue;
          }
          Map<String, String> meta = new LinkedHashMap<>(row);
          meta.remove(columns.get(0));
          meta.values().removeIf(v -> v == null || v.isEmpty());
          out.put(id.trim(), Collections.unmodifiableMap(meta));
        }
      }
      return Collections.unmodifiableMap(out);
    }
    JsonNode root = YAML.readTree(file.toFile());
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Map.of();
    }
    if (!root.isObject()) {
      throw new IOException(file + ": expected a map of device id to metadata");
    }
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Map<String, String> meta = new LinkedHashMap<>();
      flatten("", e.getValue(), meta);
      out.put(e.getKey(), Collections.unmodifiableMap(meta));
    }
    return Collections.unmodifiableMap(out);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  flatten(
                      prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                      f.getValue(),
                      out));
    } else if (node.isArray()) {
      StringBuilder sb = new StringBuilder();
      node.forEach(v -> sb.append(sb.length() == 0 ? "" : ",").append(v.asText()));
      out.put(prefix, sb.toString());
    } else if (!prefix.isEmpty()) {
      out.put(prefix, node.asText());
    }
  }
}
