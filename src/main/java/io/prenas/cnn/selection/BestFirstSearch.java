package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.StageChoices;
import io.prenas.cnn.space.StageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The exact top-N of one bin (spec cnn-space §8, step 4): a best-first search over partial architectures, built stage
 * by stage. A node is a prefix (resolution, stem, the first stages) with its exact cost and score; its priority is
 * its score plus the best completion score within the bin's remaining budget (the suffix front), an upper bound on
 * every architecture below it. A complete architecture enters the queue with its exact score, so the first N complete
 * architectures popped are the best N in the bin; no architecture outside them is ever listed.
 *
 * <p>Bounds are raised by a relative {@value #SLACK}: a bound is a sum taken in another order than the architecture's
 * own score, and the slack keeps it an upper bound whatever the float64 rounding. At equal priority a partial node
 * pops before a complete one, and complete ones by ascending cost, then ascending canonical id, so exact ties resolve
 * in the spec's order (score descending, FLOPs ascending, id ascending).
 */
final class BestFirstSearch {

  static final double SLACK = 1e-9;

  /** One of the best: the architecture, its binned cost and its score. */
  record Found(CnnArchitecture architecture, long cost, double score) {}

  /** Nodes expanded and queued by the last query: how much work a bin took. */
  record Work(long expanded, long queued) {}

  private final CnnSpace space;
  private final List<ResolutionTables> tables;
  private long expanded;
  private long queued;

  BestFirstSearch(CnnSpace space, List<ResolutionTables> tables) {
    this.space = space;
    this.tables = tables;
  }

  /** A prefix, or (stage = -1) a complete architecture. */
  private static final class Node {
    final double priority;
    final ResolutionTables table;
    final int stage;
    final int widthIndex;
    final long cost;
    final double score;
    final Node parent;
    final StageOption option;
    final int choice;
    String id;

    Node(double priority, ResolutionTables table, int stage, int widthIndex, long cost, double score, Node parent,
        StageOption option, int choice) {
      this.priority = priority;
      this.table = table;
      this.stage = stage;
      this.widthIndex = widthIndex;
      this.cost = cost;
      this.score = score;
      this.parent = parent;
      this.option = option;
      this.choice = choice;
    }

    boolean complete() {
      return stage < 0;
    }
  }

  /**
   * The best {@code n} architectures with cost in [lo, hiExclusive), best first; fewer when the bin holds fewer.
   */
  List<Found> top(long lo, long hiExclusive, int n) {
    expanded = 0;
    queued = 0;
    PriorityQueue<Node> queue = new PriorityQueue<>(this::compare);
    for (ResolutionTables t : tables) {
      for (int c0 = 0; c0 < t.stemCost.length; c0++) {
        offer(queue, t, 0, c0, t.stemCost[c0], t.stemScore[c0], null, null, c0, lo, hiExclusive);
      }
    }
    List<Found> found = new ArrayList<>();
    while (!queue.isEmpty() && found.size() < n) {
      Node node = queue.poll();
      if (node.complete()) {
        found.add(new Found(architecture(node), node.cost, node.score));
        continue;
      }
      expanded++;
      ResolutionTables t = node.table;
      if (node.stage == t.stages) { // the head closes the architecture
        for (int h = 0; h < t.headCost[node.widthIndex].length; h++) {
          long cost = node.cost + t.headCost[node.widthIndex][h];
          if (cost < lo || cost >= hiExclusive) continue;
          double score = node.score + t.headScore[node.widthIndex][h];
          queue.add(new Node(score, t, -1, node.widthIndex, cost, score, node, null, h));
          queued++;
        }
        continue;
      }
      for (StageOption o : t.options[node.stage][node.widthIndex]) {
        double score = node.score;
        for (double layer : o.layerScores()) score += layer; // layer by layer, as the architecture's own score
        offer(queue, t, node.stage + 1, o.widthIndex(), node.cost + o.cost(), score, node, o, -1, lo, hiExclusive);
      }
    }
    return found;
  }

  Work work() {
    return new Work(expanded, queued);
  }

  /** Queues a prefix unless no completion of it can land in [lo, hiExclusive). */
  private void offer(PriorityQueue<Node> queue, ResolutionTables t, int stage, int widthIndex, long cost,
      double score, Node parent, StageOption option, int choice, long lo, long hiExclusive) {
    ParetoFront front = t.fronts[stage][widthIndex];
    if (cost + front.minCost() >= hiExclusive || cost + t.maxCompletion[stage][widthIndex] < lo) return;
    double best = front.bestWithin(hiExclusive - 1 - cost);
    if (Double.isNaN(best)) return;
    double bound = score + best;
    queue.add(new Node(bound + Math.abs(bound) * SLACK, t, stage, widthIndex, cost, score, parent, option, choice));
    queued++;
  }

  private int compare(Node a, Node b) {
    int byPriority = Double.compare(b.priority, a.priority);
    if (byPriority != 0) return byPriority;
    if (a.complete() != b.complete()) return a.complete() ? 1 : -1;
    if (!a.complete()) return 0;
    if (a.cost != b.cost) return Long.compare(a.cost, b.cost);
    return id(a).compareTo(id(b));
  }

  private String id(Node node) {
    if (node.id == null) node.id = architecture(node).id();
    return node.id;
  }

  /** Walks a complete node's chain back to the stem. */
  private CnnArchitecture architecture(Node complete) {
    StageConfig[] stages = new StageConfig[space.stages().size()];
    Node node = complete.parent;
    int stem = -1;
    for (; node != null; node = node.parent) {
      if (node.option != null) {
        StageChoices choices = space.stages().get(node.stage - 1);
        StageOption o = node.option;
        Integer[] kernels = new Integer[o.depth()];
        for (int j = 0; j < o.depth(); j++) kernels[j] = choices.kernels().get(o.kernelIndices()[j]);
        stages[node.stage - 1] = new StageConfig(choices.widths().get(o.widthIndex()), o.depth(),
            Arrays.asList(kernels));
      } else {
        stem = space.stem().widths().get(node.choice);
      }
    }
    return new CnnArchitecture(complete.table.resolution, stem, List.of(stages),
        space.headWidths().get(complete.choice));
  }
}
