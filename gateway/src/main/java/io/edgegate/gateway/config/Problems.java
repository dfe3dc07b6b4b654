package io.edgegate.gateway.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems so that one start-up reports all of them, each with its key. */
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

  public void positive(long value, String key) {
    require(value > 0, key, "must be greater than 0 (was " + value + ")");
  }

  public void port(int value, String key) {
    require(
        value >= 0 && value <= 65535, key, "must be a port from 0 to 65535 (was " + value + ")");
  }

  public void notBlank(String value, String key) {
    require(value != null && !value.isBlank(), key, "must not be empty");
  }

  public List<String> list() {
    return list;
  }
}
