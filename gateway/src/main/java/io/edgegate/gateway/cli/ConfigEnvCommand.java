package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigKeys;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edgegate config env}: every configuration key and the variable that overrides it. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "List every configuration key and the environment variable that overrides it.")
final class ConfigEnvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-34s %s%n";
    out.printf(format, "KEY", "ENVIRONMENT VARIABLE");
    for (ConfigKeys.Key key : ConfigKeys.all()) {
      switch (key.kind()) {
        case SECTION -> {}
        case VALUE -> out.printf(format, key.path(), key.envName());
        case MAP -> {
          out.printf(format, key.path(), key.envName() + "   (a YAML map: {k: v, ...})");
          out.printf(
              format,
              key.path() + ".<key>",
              key.envName() + ConfigKeys.MAP_KEY_SEPARATOR + "<KEY>   (. in the key as _)");
        }
      }
    }
    out.printf(
        "%nA string value written as ${file:PATH} is read from that file, ${env:NAME} from that"
            + " variable.%n");
    out.flush();
    return 0;
  }
}
