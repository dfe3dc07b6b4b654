package io.edgegate.gateway.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.ConfigPrinter;
import io.edgegate.gateway.config.EnvOverrides;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.Problems;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code edgegate config print FILE}: the configuration the gateway would run with, that is the
 * file with the {@code EDGEGATE_*} variables applied and every default filled in, secrets masked.
 */
@Command(
    name = "print",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Print the effective configuration of FILE (environment overrides applied, defaults"
            + " filled in) as YAML, with secrets masked; exit 2 if it is invalid.")
final class ConfigPrintCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin ConfigCommand.ConfigFile configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Path file = configFile.get(spec.commandLine());
    Map<String, String> env = System.getenv();
    GatewayConfig config = ConfigLoader.load(file, env);
    // Which keys the environment set: applied again to an empty tree, only to name them.
    Map<String, String> fromEnv =
        EnvOverrides.apply(JsonNodeFactory.instance.objectNode(), env, new Problems()).byPath();
    PrintWriter out = spec.commandLine().getOut();
    out.println("# Effective configuration of " + file + ": defaults filled in, secrets masked.");
    fromEnv.forEach(
        (key, variable) ->
            out.println("# " + key + " comes from environment variable " + variable));
    out.println(
        "# mqtt.instances: 0 means one per core ("
            + config.mqtt.effectiveInstances()
            + " here); mqtt.auth.verifyThreads: 0 means half the cores ("
            + config.mqtt.auth.effectiveVerifyThreads()
            + " here)");
    out.print(ConfigPrinter.toYaml(config));
    out.flush();
    return 0;
  }
}
