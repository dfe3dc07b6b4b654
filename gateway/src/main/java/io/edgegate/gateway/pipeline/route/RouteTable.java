package io.edgegate.gateway.pipeline.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topic patterns in a trie, so that matching a topic costs its number of levels, not the number of
 * rules. Patterns have literal levels, {@code {name}} levels (any one non-empty level, captured)
 * and a trailing {@code #} (any rest, at least one level). When several patterns match, the one
 * added first wins. Immutable once built; thread-safe for matching.
 */
public final class RouteTable<R> {
  private final Node root = new Node();
  private final List<R> routes = new ArrayList<>();
  private final List<String[]> captures = new ArrayList<>(); // per route: name by level, or null

  /** A match: the route and the captured level values. */
  public record Match<R>(R route, Map<String, String> captured) {}

  private static final class Node {
    final Map<String, Node> literal = new HashMap<>();
    Node any; // a {name} level
    int endsHere = Integer.MAX_VALUE; // lowest route whose pattern ends at this node
    int endsWithRest = Integer.MAX_VALUE; // lowest route whose pattern ends here with '#'
  }

  /** Adds a pattern; patterns added earlier take precedence. */
  public RouteTable<R> add(String pattern, R route) {
    int index = routes.size();
    String[] levels = pattern.split("/", -1);
    String[] names = new String[levels.length];
    routes.add(route);
    captures.add(names);
    Node n = root;
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        n.endsWithRest = Math.min(n.endsWithRest, index);
        return this;
      }
      if (level.startsWith("{") && level.endsWith("}")) {
        names[i] = level.substring(1, level.length() - 1);
        if (n.any == null) {
          n.any = new Node();
        }
        n = n.any;
      } else {
        n = n.literal.computeIfAbsent(level, k -> new Node());
      }
    }
    n.endsHere = Math.min(n.endsHere, index);
    return this;
  }

  /** The first added pattern matching {@code topic}, or null. */
  public Match<R> match(String topic) {
    String[] levels = topic.split("/", -1);
    int best = walk(root, levels, 0, Integer.MAX_VALUE);
    if (best == Integer.MAX_VALUE) {
      return null;
    }
    String[] names = captures.get(best);
    Map<String, String> captured = new HashMap<>(4);
    for (int i = 0; i < names.length && i < levels.length; i++) {
      if (names[i] != null) {
        captured.put(names[i], levels[i]);
      }
    }
    return new Match<>(routes.get(best), captured);
  }

  // Depth-first over the literal and the {name} branch; returns the lowest route index found.
  private static int walk(Node n, String[] levels, int depth, int best) {
    if (depth < levels.length) {
      best = Math.min(best, n.endsWithRest);
    } else {
      return Math.min(best, n.endsHere);
    }
    Node lit = n.literal.get(levels[depth]);
    if (lit != null) {
      best = walk(lit, levels, depth + 1, best);
    }
    if (n.any != null && !levels[depth].isEmpty()) {
      best = walk(n.any, levels, depth + 1, best);
    }
    return best;
  }
}
