package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.MemoryConfig;
import org.junit.jupiter.api.Test;

class MemoryReportTest {

  @Test
  void saysWhatTheJvmGotReadFromTheJvm() {
    String line = MemoryReport.line();
    long maxMib = Math.round(Runtime.getRuntime().maxMemory() / 1048576.0);
    assertThat(line)
        .startsWith("Memory: ")
        .contains(".." + maxMib + " MiB (")
        .contains(" GC), metaspace <= ")
        .contains(", direct <= ")
        .contains(", code cache ")
        .contains(" KiB, JIT ");
  }

  @Test
  void aProfileTheJvmWasNotStartedWithIsNamed() {
    MemoryConfig pi = new MemoryConfig();
    pi.profile = MemoryConfig.Profile.RASPBERRY_PI;
    String before = System.getProperty(MemoryReport.PROFILE_PROPERTY);
    try {
      System.clearProperty(MemoryReport.PROFILE_PROPERTY);
      assertThat(MemoryReport.mismatch(pi)).as("no launcher: nothing to compare").isNull();
      System.setProperty(MemoryReport.PROFILE_PROPERTY, "raspberry-pi");
      assertThat(MemoryReport.mismatch(pi)).isNull();
      System.setProperty(MemoryReport.PROFILE_PROPERTY, "default");
      assertThat(MemoryReport.mismatch(pi))
          .contains("memory.profile is raspberry-pi")
          .contains("flags of default");
      assertThat(MemoryReport.line()).startsWith("Memory: profile default");
    } finally {
      if (before == null) {
        System.clearProperty(MemoryReport.PROFILE_PROPERTY);
      } else {
        System.setProperty(MemoryReport.PROFILE_PROPERTY, before);
      }
    }
  }
}
