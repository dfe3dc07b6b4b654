package io.edgegate.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link PipelineBenchmark} methods timed in thread CPU time rather than wall-clock time: on a
 * machine shared with other work, JMH's scores include the time the thread waited for a core, while
 * CPU time per operation stays comparable between runs. Best of five rounds after a warm-up. Usage:
 * {@code java -cp … io.edgegate.benchmarks.PipelineCpu [method …]} (all methods when none given).
 */
public final class PipelineCpu {
  private static volatile Object sink;

  private PipelineCpu() {}

  public static void main(String[] args) throws Throwable {
    PipelineBenchmark b = new PipelineBenchmark();
    b.setUp();
    String[] methods =
        args.length > 0
            ? args
            : new String[] {
              "journalEncode", "journalDecode", "kafkaSerialize", "binaryRoute",
              "mqtt5BinaryRoute", "perEvent", "structuredEnvelope", "jsonValidatedUpcastFat"
            };
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (String m : methods) {
      MethodHandle mh =
          MethodHandles.lookup().unreflect(PipelineBenchmark.class.getMethod(m)).bindTo(b);
      int n = 200_000;
      for (int i = 0; i < 3 * n; i++) {
        sink = mh.invoke();
      }
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink = mh.invoke();
        }
        best = Math.min(best, (mx.getCurrentThreadCpuTime() - start) / (double) n);
      }
      System.out.printf("%-24s %8.0f ns CPU/op%n", m, best);
    }
  }
}
