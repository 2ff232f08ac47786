package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GreedyAllocatorTest {

  // G5 (spec section 9): the vectors exist only in the spec text, so they are written out here.

  @Test
  void g5TwoHeadChoices() {
    List<Integer> result = GreedyAllocator.allocate(4, List.of(3, 4), new int[] {1, 3},
        List.of(new double[] {.5, .9, .1, .7}));
    assertThat(result).containsExactly(4, 4, 3, 4);
  }

  @Test
  void g5ThreeMlpChoices() {
    List<Double> result = GreedyAllocator.allocate(4, List.of(3.0, 3.5, 4.0), new int[] {1, 2, 1},
        List.of(new double[] {.3, .9, .4, .6}, new double[] {.2, .8, .5, .1}));
    assertThat(result).containsExactly(3.0, 4.0, 3.5, 3.5);
  }

  @Test
  void g5ThreeHeadChoices() {
    List<Integer> result = GreedyAllocator.allocate(5, List.of(5, 6, 7), new int[] {2, 1, 2},
        List.of(new double[] {.9, .8, .7, .6, .05}, new double[] {.1, .2, .3, .4, .5}));
    assertThat(result).containsExactly(6, 5, 5, 7, 7);
  }

  @Test
  void onlyTheFirstDepthScoresAreUsed() {
    // Scores cover the max-depth net; a shallower net uses the leading layers only.
    int[] conf = GreedyAllocator.allocateIndices(2, new int[] {1, 1}, List.of(new double[] {.1, .2, 99, 99}));
    assertThat(conf).containsExactly(0, 1);
  }

  @Test
  void equalScoresTakeTheHigherIndexFirst() {
    int[] conf = GreedyAllocator.allocateIndices(4, new int[] {2, 2}, List.of(new double[] {.5, .5, .5, .5}));
    assertThat(conf).containsExactly(0, 0, 1, 1);
    // -0.0 and 0.0 tie numerically, as in numpy: choice 2 takes layers 2 and 1, then choice 1 takes the highest
    // index, layer 2, although it is already assigned (the reference overwrites it); layer 0 falls back to choice 0.
    int[] zeros = GreedyAllocator.allocateIndices(3, new int[] {0, 1, 2},
        List.of(new double[] {0, 0, 0}, new double[] {0, 0, 0}));
    assertThat(zeros).containsExactly(0, 2, 1);
  }

  @Test
  void microABlockScoreOrderIsFollowed() {
    // fixture README: head_scores["128,2"] by descending score is [1, 3, 0, 2].
    BlockScores scores = SpaceFixtures.microABlockScores(128);
    for (int take = 0; take <= 4; take++) {
      int[] conf = GreedyAllocator.allocateIndices(4, new int[] {4 - take, take}, List.of(scores.heads(2)));
      int[] expected = new int[4];
      int[] order = {1, 3, 0, 2};
      for (int j = 0; j < take; j++) {
        expected[order[j]] = 1;
      }
      assertThat(conf).as("take " + take).containsExactly(expected);
    }
  }

  @Test
  void rejectsInconsistentInput() {
    assertThatThrownBy(() -> GreedyAllocator.allocateIndices(4, new int[] {1, 2}, List.of(new double[4])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 3");
    assertThatThrownBy(() -> GreedyAllocator.allocateIndices(4, new int[] {1, 3}, List.of(new double[3])))
        .hasMessageContaining("cover 3 layers");
    assertThatThrownBy(() -> GreedyAllocator.allocateIndices(2, new int[] {1, 1}, List.of()))
        .hasMessageContaining("non-smallest");
    assertThatThrownBy(() -> GreedyAllocator.allocateIndices(1, new int[] {0, 1}, List.of(new double[] {Double.NaN})))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> GreedyAllocator.allocate(2, List.of(1, 2, 3), new int[] {1, 1}, List.of(new double[2])))
        .hasMessageContaining("3 choices");
  }
}
