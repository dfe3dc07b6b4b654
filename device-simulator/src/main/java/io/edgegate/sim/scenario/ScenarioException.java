package io.edgegate.sim.scenario;

import java.util.List;

/** A scenario that cannot be run; the message names every offending key and its problem. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ScenarioException(String source, List<String> problems) {
    super(
        source
            + ": "
            + (problems.size() == 1
                ? problems.get(0)
                : "\n  - " + String.join("\n  - ", problems)));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each starting with the key it concerns. */
  public List<String> problems() {
    return problems;
  }
}
