package io.prenas.selector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.space.SearchSpace;

/**
 * A port for families whose selector answers each bin by a query on precomputed tables (the CNN family's exact
 * top-N, spec cnn-space §8): builds the tables from synthetic, seeded weights and gradients at the supernet's shapes
 * and times the build and every bin's query. {@code bench select-exact} runs it and writes the results.
 */
public interface SelectionBenchmark {

  /**
   * @param warmup untimed queries per bin before the timed ones
   * @param repeats timed queries per bin
   * @param threads threads for the partial sums
   */
  record Settings(SelectionSettings selection, long seed, int warmup, int repeats, int threads) {
    public Settings {
      if (warmup < 0) throw new SelectorException("warmup must not be negative, got " + warmup);
      if (repeats < 1) throw new SelectorException("repeats must be at least 1, got " + repeats);
    }
  }

  /** Runs the benchmark; the result holds the build times (s), the table sizes and per bin its median and max (ms). */
  ObjectNode run(SearchSpace space, Settings settings);
}
