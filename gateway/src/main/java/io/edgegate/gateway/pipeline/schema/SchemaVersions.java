package io.edgegate.gateway.pipeline.schema;

import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which schema versions arrive, per event type (a schema name of {@code pipeline.schemas}): how
 * many valid events claimed each version, how many of them were upcast, from how many devices,
 * first and last seen (receive time); and the version each device sent last, so that the devices
 * still on an old version can be named. It outlives the processors: a reload keeps the counts and
 * adds the rows of new versions ({@link #adopt}).
 *
 * <p>Bounded: rows are the configured (type, version) pairs, resolved when a catalog is adopted, so
 * an event costs no lookup beyond the type's name and no allocation; devices are at most {@code
 * maxDevices}, the least recently seen forgotten first (counted in {@link #evictions()} and {@link
 * SchemaVersionStats#schemaDeviceEvicted()}). A device that is forgotten no longer counts among its
 * version's devices. A device costs one entry when first seen; later events write into it.
 *
 * <p><b>Written on the pipeline's event loop only</b> ({@link #adopt}, {@link #record}, {@link
 * #publish}: asserted; the first caller owns it). <b>Read from any thread</b> through the {@link
 * SchemaVersionsView} methods, which read an immutable snapshot the loop publishes through a
 * volatile field when {@link #publish} is called (the pipeline does so on a timer, every {@link
 * #PUBLISH_EVERY_MILLIS}). Why a snapshot rather than per-row atomics: the device map is an
 * access-ordered map the loop reorders on every event, which no other thread may walk; a snapshot
 * costs the loop nothing per event (plain field writes) and the readers a consistent picture (the
 * rows, devices and counts of one instant) at most one period old. The per-device part is rebuilt
 * only after a reader asked for it ({@link #versionsOf}, {@link #devicesOnOldVersions}), so that a
 * gateway nobody looks at does not copy its device table every period; such a reader sees the
 * device part of the next publication.
 */
public final class SchemaVersions implements SchemaVersionsView {
  /** How often the pipeline publishes the snapshot the readers see. */
  public static final long PUBLISH_EVERY_MILLIS = 1000;

  private final Confinement.Owner owner = Confinement.firstCaller();
  private final int maxDevices;
  private final SchemaVersionStats stats;
  // event loop only
  private final Map<String, Type> types = new HashMap<>();
  private final List<Type> typeList = new ArrayList<>();
  private final Devices devices;
  private long evictions;
  private boolean changed;
  private boolean devicesChanged;
  // written by the loop, read by any thread
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private volatile boolean devicesWanted;

  /** One event type: its rows by version number. Event loop only. */
  private static final class Type {
    final String name;
    final int index;
    int current;
    Row[] rows = new Row[0];
    // devices whose last version is older than the current one, as of the last publication
    volatile int onOldPublished;

    Type(String name, int index) {
      this.name = name;
      this.index = index;
    }
  }

  /** One (type, version): its counts. Event loop only. */
  private static final class Row {
    final Type type;
    final int version;
    final String label;
    final SchemaVersionStats.Tally events;
    SchemaVersionStats.Tally upcasts; // to the type's current version; replaced when it changes
    int upcastTo;
    long eventCount;
    long upcastCount;
    int devices;
    long firstSeen = -1;
    long lastSeen = -1;

    Row(Type type, int version, SchemaVersionStats.Tally events) {
      this.type = type;
      this.version = version;
      this.label = Integer.toString(version);
      this.events = events;
    }
  }

  /** One device: its last row and last-seen time per type (by type index). Event loop only. */
  private static final class Device {
    Row[] rows;
    long[] lastSeen;

    Device(int types) {
      rows = new Row[types];
      lastSeen = new long[types];
    }
  }

  /** The devices, least recently seen first; forgets the eldest over the bound. */
  private final class Devices extends LinkedHashMap<String, Device> {
    Devices() {
      super(64, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Device> eldest) {
      if (size() <= maxDevices) {
        return false;
      }
      for (Row r : eldest.getValue().rows) {
        if (r != null) {
          r.devices--;
        }
      }
      evictions++;
      stats.schemaDeviceEvicted();
      return true;
    }
  }

  /**
   * @param maxDevices devices remembered (at least 1)
   * @param stats told of each (type, version) and upcast pair when adopted, and of evictions
   */
  public SchemaVersions(int maxDevices, SchemaVersionStats stats) {
    if (maxDevices < 1) {
      throw new IllegalArgumentException("maxDevices must be at least 1, was " + maxDevices);
    }
    this.maxDevices = maxDevices;
    this.stats = stats;
    this.devices = new Devices();
  }

  /**
   * Makes a row for every configured (type, version) of {@code catalog} that has none yet and takes
   * each type's current version from it: called when a processor starts, so after a reload new
   * versions have rows and the counts of the others go on.
   */
  public void adopt(SchemaCatalog catalog) {
    assert owner.check();
    for (String name : catalog.names()) {
      Type t = types.get(name);
      if (t == null) {
        t = new Type(name, typeList.size());
        types.put(name, t);
        typeList.add(t);
        Type gauged = t;
        stats.devicesOnOldSchema(name, () -> gauged.onOldPublished);
      }
      int current = catalog.current(name);
      for (int v : catalog.versions(name)) {
        if (v < 0) {
          continue;
        }
        if (v >= t.rows.length) {
          t.rows = Arrays.copyOf(t.rows, v + 1);
        }
        if (t.rows[v] == null) {
          t.rows[v] = new Row(t, v, stats.schemaVersion(name, v));
        }
      }
      t.current = current;
      for (Row r : t.rows) {
        if (r != null && r.version < current && r.upcastTo != current) {
          r.upcasts = stats.upcast(name, r.version, current);
          r.upcastTo = current;
        }
      }
    }
    changed = true;
    devicesChanged = true;
  }

  /**
   * A valid event of schema {@code type} that claimed {@code version} (upcast if older than the
   * current one) from {@code deviceId}, received at {@code atMillis}. An unknown type or version
   * (not adopted) is ignored. Allocates only for a device not seen before.
   */
  public void record(String type, int version, String deviceId, long atMillis) {
    assert owner.check();
    Type t = types.get(type);
    if (t == null || version < 0 || version >= t.rows.length || t.rows[version] == null) {
      return;
    }
    Row row = t.rows[version];
    row.eventCount++;
    row.events.increment();
    if (version < t.current) {
      row.upcastCount++;
      row.upcasts.increment();
    }
    if (row.firstSeen < 0) {
      row.firstSeen = atMillis;
    }
    row.lastSeen = Math.max(row.lastSeen, atMillis);
    changed = true;

    Device d = devices.get(deviceId); // moves it to the most recently seen end
    if (d == null) {
      d = new Device(typeList.size());
      devices.put(deviceId, d);
    } else if (t.index >= d.rows.length) {
      d.rows = Arrays.copyOf(d.rows, typeList.size());
      d.lastSeen = Arrays.copyOf(d.lastSeen, typeList.size());
    }
    Row before = d.rows[t.index];
    if (before != row) {
      if (before != null) {
        before.devices--;
      }
      row.devices++;
      d.rows[t.index] = row;
    }
    d.lastSeen[t.index] = atMillis;
    devicesChanged = true;
  }

  /**
   * Publishes what was recorded since the last call to the readers (any thread), if anything was.
   * Event loop only: the pipeline calls it every {@link #PUBLISH_EVERY_MILLIS}.
   */
  public void publish() {
    assert owner.check();
    boolean wanted = devicesWanted;
    if (!changed && !(wanted && devicesChanged)) {
      return;
    }
    Snapshot before = snapshot;
    List<TypeVersion> rows = new ArrayList<>();
    List<Type> sorted = new ArrayList<>(typeList);
    sorted.sort(Comparator.comparing(t -> t.name));
    for (Type t : sorted) {
      int onOld = 0;
      for (Row r : t.rows) {
        if (r == null) {
          continue;
        }
        if (r.version < t.current) {
          onOld += r.devices;
        }
        if (r.eventCount > 0) {
          rows.add(
              new TypeVersion(
                  t.name,
                  r.label,
                  r.eventCount,
                  r.upcastCount,
                  r.devices,
                  r.firstSeen,
                  r.lastSeen,
                  r.version == t.current));
        }
      }
      t.onOldPublished = onOld;
    }
    Map<String, Map<String, String>> byDevice = before.byDevice;
    List<DeviceVersion> onOld = before.onOld;
    if (wanted && devicesChanged) {
      devicesWanted = false;
      byDevice = new HashMap<>(devices.size() * 2);
      onOld = new ArrayList<>();
      for (Map.Entry<String, Device> e : devices.entrySet()) {
        Device d = e.getValue();
        Map<String, String> versions = new HashMap<>(4);
        for (int i = 0; i < d.rows.length; i++) {
          Row r = d.rows[i];
          if (r == null) {
            continue;
          }
          versions.put(r.type.name, r.label);
          if (r.version < r.type.current) {
            onOld.add(
                new DeviceVersion(
                    e.getKey(),
                    r.type.name,
                    r.label,
                    Integer.toString(r.type.current),
                    d.lastSeen[i]));
          }
        }
        byDevice.put(e.getKey(), Map.copyOf(versions));
      }
      onOld.sort(Comparator.comparing(DeviceVersion::type).thenComparing(DeviceVersion::deviceId));
      onOld = List.copyOf(onOld);
      byDevice = java.util.Collections.unmodifiableMap(byDevice); // not copied again: never written
      devicesChanged = false;
    }
    changed = false;
    snapshot = new Snapshot(List.copyOf(rows), byDevice, onOld);
  }

  /** Devices forgotten to stay within the bound, since the start. Event loop only. */
  public long evictions() {
    assert owner.check();
    return evictions;
  }

  /** Devices remembered now. Event loop only. */
  public int trackedDevices() {
    assert owner.check();
    return devices.size();
  }

  @Override
  public List<TypeVersion> types() {
    return snapshot.rows;
  }

  @Override
  public Map<String, String> versionsOf(String deviceId) {
    devicesWanted = true;
    return snapshot.byDevice.getOrDefault(deviceId, Map.of());
  }

  @Override
  public List<DeviceVersion> devicesOnOldVersions() {
    devicesWanted = true;
    return snapshot.onOld;
  }

  /** What the readers see: immutable. */
  private record Snapshot(
      List<TypeVersion> rows,
      Map<String, Map<String, String>> byDevice,
      List<DeviceVersion> onOld) {
    static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), List.of());
  }
}
