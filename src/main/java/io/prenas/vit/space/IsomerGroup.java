package io.prenas.vit.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A group of isomers (spec 4.3): architectures with the same width, depth, and number of layers per MLP ratio and
 * per head count. They differ only in which layer takes which choice, so they have identical parameter counts and
 * FLOPs (both are sums over layers) and always fall in the same bin.
 *
 * @param mlpCounts layers per MLP ratio, in ascending ratio order ({@link VitSpace#sortedMlpRatios()})
 * @param headCounts layers per head count, in ascending order ({@link VitSpace#sortedNumHeads()})
 */
public record IsomerGroup(int embedDim, int depth, List<Integer> mlpCounts, List<Integer> headCounts) {

  public IsomerGroup {
    mlpCounts = List.copyOf(mlpCounts);
    headCounts = List.copyOf(headCounts);
    if (sum(mlpCounts) != depth || sum(headCounts) != depth) {
      throw new IllegalArgumentException("counts " + mlpCounts + " / " + headCounts + " do not sum to depth " + depth);
    }
  }

  private static int sum(List<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * One member of the group without scores: choices in ascending order from the first layer. Enough for anything
   * that depends only on the group (params, FLOPs, bin).
   */
  public VitArchitecture representative(VitSpace space) {
    return new VitArchitecture(embedDim, depth, fill(space.sortedMlpRatios(), mlpCounts),
        fill(space.sortedNumHeads(), headCounts));
  }

  /** The member the reference builds: layers assigned by {@link GreedyAllocator} from the block scores. */
  public VitArchitecture allocate(VitSpace space, BlockScores scores) {
    return new VitArchitecture(embedDim, depth, IsomerEnumerator.allocateMlp(space, depth, mlpCounts, scores),
        IsomerEnumerator.allocateHeads(space, depth, headCounts, scores));
  }

  private static <T> List<T> fill(List<T> choices, List<Integer> counts) {
    List<T> layers = new ArrayList<>();
    for (int k = 0; k < counts.size(); k++) {
      for (int j = 0; j < counts.get(k); j++) {
        layers.add(choices.get(k));
      }
    }
    return layers;
  }
}
