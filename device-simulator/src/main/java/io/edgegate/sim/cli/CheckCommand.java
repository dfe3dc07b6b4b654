package io.edgegate.sim.cli;

import io.edgegate.sim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code edgegate-sim check FILE…}: validates scenario files without running them. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = SimCommand.VersionProvider.class,
    description = "Validate scenario files; exit 0 if all are usable, 2 if not.")
final class CheckCommand implements Callable<Integer> {
  @ParentCommand SimCommand parent;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario YAML files.")
  List<Path> files;

  @Override
  public Integer call() {
    for (Path f : files) {
      ScenarioLoader.load(f).validate(f.toString());
      parent.out.println(f + ": OK");
    }
    return SimCommand.EXIT_OK;
  }
}
