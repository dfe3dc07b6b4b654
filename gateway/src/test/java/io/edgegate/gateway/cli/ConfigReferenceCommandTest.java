package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.ConfigReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code edgegate config reference}: the page docs/configuration.md is, on standard output. */
class ConfigReferenceCommandTest {

  @Test
  void printsTheConfigurationReference() {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));

    int exit = cl.execute("config", "reference");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .isEqualTo(ConfigReference.markdown())
        .startsWith("# Configuration reference")
        .contains("| `journal.sync` |", "`EDGEGATE_JOURNAL_SYNC`");
  }
}
