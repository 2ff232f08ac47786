package io.prenas.cnn.selection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.selector.SelectionBenchmark;
import io.prenas.selector.SnipInputs;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CNN selector's benchmark (spec cnn-space §8: "every bin's query under 10 ms after the tables are built"):
 * synthetic weights and one synthetic gradient set per resolution at the supernet's shapes (seeded Gaussians; the
 * search's work depends on the space and the spread of the scores, not on where the numbers came from). Times the
 * builds once (partial sums, search tables, count tables), then every bin's top-N query {@code repeats} times after
 * {@code warmup} untimed runs, checking that every repeat gives the same answer.
 */
public final class CnnSelectionBenchmark implements SelectionBenchmark {

  /**
   * Per-query CPU time of this thread besides wall time: on a shared machine a wall-clock maximum measures the
   * scheduler (a preempted thread waits tens of ms), the CPU time measures the query.
   */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  public ObjectNode run(SearchSpace searchSpace, Settings s) {
    CnnSpace space = CnnSpace.of(searchSpace);
    CnnBins bins = CnnBins.of(s.selection());
    long t0 = System.nanoTime();
    SnipInputs inputs = synthetic(space, s.seed());
    long t1 = System.nanoTime();
    CnnSnipScores scores = CnnSnipScores.compute(space, inputs, s.threads());
    long t2 = System.nanoTime();
    CnnExactSelector selector = CnnExactSelector.build(scores, s.selection().binBy());
    long t3 = System.nanoTime();
    selector.buildCounts();
    long t4 = System.nanoTime();

    ObjectNode result = new ObjectMapper().createObjectNode();
    result.put("benchmark", "select-exact");
    result.put("space", space.name());
    result.put("architectures", space.architectureCount());
    result.put("resolutions", space.resolutions().toString());
    result.put("bin_by", s.selection().binByName());
    result.put("top", s.selection().topN());
    result.put("seed", s.seed());
    result.put("warmup", s.warmup());
    result.put("repeats", s.repeats());
    result.put("threads", s.threads());
    result.put("cpus", Runtime.getRuntime().availableProcessors());
    result.put("java", System.getProperty("java.version"));
    ObjectNode build = result.putObject("build_s");
    build.put("synthetic_tensors", (t1 - t0) / 1e9);
    build.put("partial_sums", (t2 - t1) / 1e9);
    build.put("search_tables", (t3 - t2) / 1e9);
    build.put("counts", (t4 - t3) / 1e9);
    CnnExactSelector.TableSizes sizes = selector.sizes();
    ObjectNode tables = result.putObject("tables");
    tables.put("stage_options", sizes.stageOptions());
    tables.put("front_points", sizes.frontPoints());
    tables.put("largest_front", sizes.largestFront());
    tables.put("architectures_counted", selector.total());

    ArrayNode perBin = result.putArray("bins");
    double worst = 0;
    double worstMedian = 0;
    double worstCpu = 0;
    int topN = s.selection().topN();
    for (CnnBins.Bin bin : bins.bins()) {
      List<CnnExactSelector.Ranked> first = selector.top(bin.lo(), bin.hiExclusive(), topN);
      for (int i = 0; i < s.warmup(); i++) selector.top(bin.lo(), bin.hiExclusive(), topN);
      double[] ms = new double[s.repeats()];
      double[] cpuMs = new double[s.repeats()];
      for (int i = 0; i < ms.length; i++) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long q0 = System.nanoTime();
        List<CnnExactSelector.Ranked> again = selector.top(bin.lo(), bin.hiExclusive(), topN);
        ms[i] = (System.nanoTime() - q0) / 1e6;
        cpuMs[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        if (!again.equals(first)) throw new IllegalStateException("a repeated query gave another answer");
      }
      long[] work = selector.lastQueryWork();
      Arrays.sort(ms);
      Arrays.sort(cpuMs);
      ObjectNode b = perBin.addObject();
      b.put("key", bin.key());
      b.put("lo", bin.lo());
      b.put("hi", bin.hiExclusive());
      b.put("count", selector.count(bin.lo(), bin.hiExclusive()));
      b.put("min_ms", ms[0]);
      b.put("median_ms", ms[ms.length / 2]);
      b.put("p90_ms", ms[(int) Math.floor(0.9 * (ms.length - 1))]);
      b.put("max_ms", ms[ms.length - 1]);
      b.put("cpu_median_ms", cpuMs[cpuMs.length / 2]);
      b.put("cpu_max_ms", cpuMs[cpuMs.length - 1]);
      b.put("nodes_expanded", work[0]);
      b.put("nodes_queued", work[1]);
      ArrayNode top = b.putArray("top");
      for (CnnExactSelector.Ranked r : first) {
        top.addObject().put("id", r.architecture().id()).put("flops", r.flops()).put("params", r.params())
            .put("score", r.score());
      }
      worst = Math.max(worst, ms[ms.length - 1]);
      worstCpu = Math.max(worstCpu, cpuMs[cpuMs.length - 1]);
      worstMedian = Math.max(worstMedian, ms[ms.length / 2]);
    }
    result.put("max_median_query_ms", worstMedian);
    result.put("max_query_ms", worst);
    result.put("max_query_cpu_ms", worstCpu);
    return result;
  }

  /**
   * Weights ~ N(0, 1/fan-in) and per resolution gradients ~ N(0, 1) times a log-normal per-tensor scale, all from
   * one seeded generator: random scores give the fronts no structure to exploit, a hard case for the bounds.
   */
  static SnipInputs synthetic(CnnSpace space, long seed) {
    Map<String, long[]> shapes = SupernetShapes.parameterShapes(space);
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    shapes.forEach((key, shape) -> weights.put(key, gaussian(shape, random, 1.0 / Math.sqrt(fanIn(shape)))));
    Map<Integer, Map<String, Tensor>> grads = new LinkedHashMap<>();
    for (int r : space.resolutions()) {
      Map<String, Tensor> g = new LinkedHashMap<>();
      shapes.forEach((key, shape) -> g.put(key, gaussian(shape, random, Math.exp(random.nextGaussian()) * 1e-3)));
      grads.put(r, g);
    }
    return SnipInputs.perResolution(weights, grads);
  }

  private static long fanIn(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) n *= shape[i];
    return Math.max(1, n);
  }

  private static Tensor gaussian(long[] shape, SplittableRandom random, double scale) {
    float[] values = new float[Math.toIntExact(Tensor.numel(shape))];
    for (int i = 0; i < values.length; i++) values[i] = (float) (scale * random.nextGaussian());
    return Tensor.ofFloats(shape, values);
  }
}
