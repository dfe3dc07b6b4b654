package io.edgegate.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway: {@code gateway/target/edgegate-<version>.tar.gz} unpacked into a directory,
 * and its launcher run as a separate process, as a container or systemd runs it.
 */
final class Distribution {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  final Path home;

  private Distribution(Path home) {
    this.home = home;
  }

  /** The distribution tarball the build made; fails clearly when there is none. */
  static Path tarball() throws IOException {
    Path target = ROOT.resolve("gateway/target");
    PathMatcher glob = target.getFileSystem().getPathMatcher("glob:edgegate-*.tar.gz");
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (var files = Files.list(target)) {
        files.filter(f -> glob.matches(f.getFileName())).forEach(found::add);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one edgegate-*.tar.gz in "
              + target
              + " (run `mvn package` first), found "
              + found);
    }
    return found.get(0);
  }

  /** Unpacks the tarball into {@code dir} (with {@code tar}, as the Dockerfile does). */
  static Distribution unpack(Path dir) throws Exception {
    Files.createDirectories(dir);
    Process tar =
        new ProcessBuilder(
                "tar", "-xzf", tarball().toString(), "-C", dir.toString(), "--strip-components=1")
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
      throw new AssertionError("tar failed: " + out);
    }
    return new Distribution(dir);
  }

  /** A running launcher: a child process with its output in files. */
  static final class Running implements AutoCloseable {
    final Process process;
    final Path stdout;
    final Path stderr;

    Running(Process process, Path stdout, Path stderr) {
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    String stderr() {
      try {
        return Files.readString(stderr);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    /** Sends {@code signal} (e.g. TERM) to the process, as {@code kill} does. */
    void signal(String signal) throws Exception {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " failed");
      }
    }

    void awaitLog(String text, Duration timeout) {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> stderr().contains(text) || !process.isAlive());
      if (!stderr().contains(text)) {
        throw new AssertionError("the gateway exited before logging '" + text + "':\n" + stderr());
      }
    }

    /** Waits for the exit and returns its code; fails if it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout + ":\n" + stderr());
      }
      return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Starts {@code command} (the launcher and its arguments) with {@code env} added to this
   * process's environment, minus every {@code EDGEGATE_*} variable of the test's own.
   */
  Running start(List<String> command, Map<String, String> env, Path logs) throws IOException {
    Files.createDirectories(logs);
    int n = 0;
    while (Files.exists(logs.resolve("stderr-" + n + ".txt"))) {
      n++;
    }
    Path out = logs.resolve("stdout-" + n + ".txt");
    Path err = logs.resolve("stderr-" + n + ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("EDGEGATE_"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    return new Running(pb.start(), out, err);
  }
}
