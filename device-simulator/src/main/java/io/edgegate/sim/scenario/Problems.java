package io.edgegate.sim.scenario;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems so that one start reports all of them, each with its key. */
public final class Problems {
  private final List<String> list = new ArrayList<>();

  public void add(String key, String problem) {
    list.add(key + ": " + problem);
  }

  public void require(boolean ok, String key, String problem) {
    if (!ok) {
      add(key, problem);
    }
  }

  public void range(long value, long min, long max, String key) {
    require(
        value >= min && value <= max,
        key,
        "must be from " + min + " to " + max + " (was " + value + ")");
  }

  public List<String> list() {
    return list;
  }
}
