package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code memory.*}: how much memory the gateway's JVM gets. Read by the launcher ({@code
 * bin/edgegate}), which turns the profile and the budget into JVM flags before the JVM starts (see
 * docs/memory.md); the gateway checks the keys and logs what the JVM got.
 */
public final class MemoryConfig {
  /** The shape of the JVM's flags. */
  public enum Profile {
    /** Serial GC, both JIT compilers: any machine, sized by the budget. */
    DEFAULT,
    /** Serial GC, the C1 compiler only (less code cache and compile work), a smaller code cache. */
    RASPBERRY_PI
  }

  @KeyDoc(
      "The shape of the JVM's flags. `default`: Serial GC, both JIT compilers, sized by"
          + " the budget. `raspberry-pi`: Serial GC, the C1 compiler only (less code cache "
          + "and compile work), small stacks and a smaller code cache. A flag in `JAVA_OPTS` "
          + "wins over the profile's.")
  public Profile profile = Profile.DEFAULT;

  @KeyDoc(
      "What the whole process may use, resident (heap, metaspace, code, threads, "
          + "buffers, mapped pages); the heap gets what the rest leaves (about 100 MiB) and "
          + "grows only as far as it must. Default: 256MiB, at most a quarter of the "
          + "machine's memory or three quarters of the cgroup limit. docs/memory.md has the "
          + "formula from device count and event rate.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public Long budget;

  void validate(Problems problems) {
    problems.require(profile != null, "memory.profile", "must be default or raspberry-pi");
    problems.require(
        budget == null || (budget >= 128L << 20 && budget <= 1L << 40),
        "memory.budget",
        "must be from 128MiB to 1TiB");
  }
}
