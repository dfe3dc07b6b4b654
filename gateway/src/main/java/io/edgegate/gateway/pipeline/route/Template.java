package io.edgegate.gateway.pipeline.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A string with {@code {name}} placeholders, parsed once and rendered per event. Immutable. */
public final class Template {
  private static final Pattern VAR = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
  private final String[] literals; // literals[i] precedes names[i]; the last literal ends it
  private final String[] names;

  private Template(String[] literals, String[] names) {
    this.literals = literals;
    this.names = names;
  }

  public static Template of(String text) {
    List<String> lits = new ArrayList<>();
    List<String> vars = new ArrayList<>();
    Matcher m = VAR.matcher(text);
    int at = 0;
    while (m.find()) {
      lits.add(text.substring(at, m.start()));
      vars.add(m.group(1));
      at = m.end();
    }
    lits.add(text.substring(at));
    return new Template(lits.toArray(String[]::new), vars.toArray(String[]::new));
  }

  public String render(Map<String, String> values) {
    if (names.length == 0) {
      return literals[0];
    }
    if (names.length == 1 && literals[0].isEmpty() && literals[1].isEmpty()) {
      return values.getOrDefault(names[0], ""); // "{clientId}", the default key: no copy
    }
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < names.length; i++) {
      sb.append(literals[i]).append(values.getOrDefault(names[i], ""));
    }
    return sb.append(literals[names.length]).toString();
  }
}
