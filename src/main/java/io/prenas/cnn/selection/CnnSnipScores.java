package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.selector.SelectorException;
import io.prenas.selector.SnipInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The zero-cost score of every architecture of a CNN space (spec cnn-space §8): one table of SNIP partial sums per
 * resolution, each from the gradient pass at that resolution. Scores at different resolutions are compared as they
 * are (no normalisation across resolutions).
 */
public final class CnnSnipScores {

  private final CnnSpace space;
  private final Map<Integer, CnnSnipTable> tables;

  private CnnSnipScores(CnnSpace space, Map<Integer, CnnSnipTable> tables) {
    this.space = space;
    this.tables = tables;
  }

  /**
   * The partial sums of every resolution of the space, one resolution per thread (up to {@code threads}).
   *
   * @throws SelectorException when a resolution of the space has no gradients, gradients are given for a resolution
   *     the space does not have, or a tensor is missing or misshapen
   */
  public static CnnSnipScores compute(CnnSpace space, SnipInputs inputs, int threads) {
    Map<Integer, SnipInputs> perResolution = byResolution(space, inputs);
    Map<Integer, CnnSnipTable> tables = new TreeMap<>();
    int pool = Math.max(1, Math.min(threads, perResolution.size()));
    if (pool == 1) {
      perResolution.forEach((r, in) -> tables.put(r, CnnSnipTable.compute(space, r, in)));
      return new CnnSnipScores(space, tables);
    }
    ExecutorService executor = Executors.newFixedThreadPool(pool);
    try {
      List<Future<CnnSnipTable>> futures = new ArrayList<>();
      perResolution.forEach((r, in) -> futures.add(executor.submit(() -> CnnSnipTable.compute(space, r, in))));
      for (Future<CnnSnipTable> f : futures) {
        CnnSnipTable table = f.get();
        tables.put(table.resolution(), table);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new SelectorException("partial sums failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SelectorException("interrupted while computing partial sums");
    } finally {
      executor.shutdownNow();
    }
    return new CnnSnipScores(space, tables);
  }

  /**
   * Each resolution's weights and gradients. A single set of gradients is accepted for a space with one resolution
   * only: with several, each architecture must be scored with the gradient at its own resolution.
   */
  static Map<Integer, SnipInputs> byResolution(CnnSpace space, SnipInputs inputs) {
    Map<Integer, SnipInputs> result = new TreeMap<>();
    if (!inputs.isPerResolution()) {
      if (space.resolutions().size() != 1) {
        throw new SelectorException("space " + space.name() + " has resolutions " + space.resolutions()
            + ": give one set of gradients per resolution (--grads R=FILE for each)");
      }
      result.put(space.resolutions().get(0), inputs);
      return result;
    }
    for (int r : inputs.resolutions()) {
      if (!space.resolutions().contains(r)) {
        throw new SelectorException("gradients are given for resolution " + r + ", which space " + space.name()
            + " does not have (resolutions " + space.resolutions() + ")");
      }
    }
    for (int r : space.resolutions()) {
      if (!inputs.resolutions().contains(r)) {
        throw new SelectorException("no gradients for resolution " + r + " of space " + space.name()
            + " (given: " + inputs.resolutions() + "); each resolution needs its own gradient pass");
      }
      result.put(r, inputs.atResolution(r));
    }
    return result;
  }

  public CnnSpace space() {
    return space;
  }

  /** The partial sums at one resolution of the space. */
  public CnnSnipTable at(int resolution) {
    CnnSnipTable table = tables.get(resolution);
    if (table == null) {
      throw new SelectorException("resolution " + resolution + " is not one of " + tables.keySet());
    }
    return table;
  }

  /** The score of an architecture, with the gradient of its own resolution. */
  public double score(CnnArchitecture arch) {
    return at(arch.resolution()).score(arch);
  }
}
