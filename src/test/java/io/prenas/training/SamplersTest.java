package io.prenas.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.prenas.data.Batch;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplersTest {

  private static final SearchSpace TINY = SearchSpaces.builtIn("autoformer-tiny");

  private static Architecture arch(int e, int d, int h) {
    return VitArchitecture.uniform(e, d, 4.0, h);
  }

  /** The tiny preferred set's grouping (spec G9): groups [[0],[1],[2,3],[4,5]]. */
  private final List<Architecture> tinyLike = List.of(arch(192, 12, 4), arch(216, 12, 4), arch(240, 12, 3),
      arch(240, 12, 4), arch(240, 14, 3), arch(240, 14, 4));

  @Test
  void balancedGroupsByWidthAndDepthInFirstSeenOrder() {
    assertThat(PreferredSamplers.groups(TINY, tinyLike)).containsExactly(List.of(tinyLike.get(0)),
        List.of(tinyLike.get(1)), List.of(tinyLike.get(2), tinyLike.get(3)),
        List.of(tinyLike.get(4), tinyLike.get(5)));
  }

  @Test
  void balancedSamplerHasTheReferenceMarginals() {
    ArchSampler s = PreferredSamplers.balanced(TINY, tinyLike);
    Map<Architecture, Integer> counts = new HashMap<>();
    int n = 80_000;
    for (int i = 0; i < n; i++) {
      counts.merge(s.sample(42, i / 1000, i % 1000), 1, Integer::sum);
    }
    double[] expected = {0.25, 0.25, 0.125, 0.125, 0.125, 0.125};
    for (int i = 0; i < 6; i++) {
      assertThat(counts.get(tinyLike.get(i)) / (double) n).isCloseTo(expected[i], offset(0.01));
    }
  }

  @Test
  void drawsAreAPureFunctionOfSeedEpochAndStep() {
    ArchSampler s = PreferredSamplers.uniform(tinyLike);
    for (int step = 0; step < 50; step++) {
      assertThat(s.sample(7, 3, step)).isEqualTo(s.sample(7, 3, step));
    }
    long differing = java.util.stream.IntStream.range(0, 50)
        .filter(i -> !s.sample(7, 3, i).equals(s.sample(8, 3, i))).count();
    assertThat(differing).isPositive();
  }

  @Test
  void redundantSamplerStaysInsideTheSpace() {
    VitSpace space = new VitSpace("t", new SupernetDims(256, 14, 4, 4.0), ModelSettings.IMAGENET,
        List.of(192, 216, 240), List.of(12, 13, 14), List.of(3.5, 4.0), List.of(3, 4), null);
    ArchSampler s = new RedundantSampler(space);
    for (int i = 0; i < 200; i++) {
      Architecture a = s.sample(1, 0, i);
      space.validate(a);
    }
  }

  @Test
  void learningRateWarmsUpLinearlyThenFollowsCosine() {
    LearningRateSchedule lr = new LearningRateSchedule(1e-3, 1e-6, 1e-5, 20, 500);
    assertThat(lr.at(0)).isEqualTo(1e-6);
    assertThat(lr.at(10)).isCloseTo(1e-6 + 10 * (1e-3 - 1e-6) / 20, offset(1e-15));
    assertThat(lr.at(20)).isCloseTo(1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 20 / 500)), offset(1e-15));
    assertThat(lr.at(500)).isCloseTo(1e-5, offset(1e-15));
    assertThat(lr.perEpochReference(0)).isEqualTo(lr.at(0));
    assertThat(lr.perEpochReference(5)).isEqualTo(lr.at(4));
    assertThat(LearningRateSchedule.scaledLr(5e-4, 1024)).isEqualTo(1e-3); // G10
  }

  @Test
  void smoothedTargetsSumToOneAndMixingKeepsThem() {
    long[] y = {0, 1, 2, 1};
    float[] x = new float[4 * 3 * 4 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = i / 192f;
    }
    Batch batch = new Batch(x, y, 4, 3, 4);
    float[] plain = MixupCutmix.none(0.1).apply(batch, 3, new SplittableRandom(0));
    assertThat(plain[0]).isCloseTo(0.9f + 0.1f / 3, offset(1e-6f));
    assertThat(plain[1]).isCloseTo(0.1f / 3, offset(1e-6f));
    float[] mixed = MixupCutmix.reference().apply(batch, 3, new SplittableRandom(3));
    for (int i = 0; i < 4; i++) {
      assertThat(mixed[i * 3] + mixed[i * 3 + 1] + mixed[i * 3 + 2]).isCloseTo(1f, offset(1e-5f));
    }
  }

  @Test
  void betaSamplesHaveTheRightMean() {
    SplittableRandom rng = new SplittableRandom(1);
    double sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += MixupCutmix.beta(rng, 0.8);
    }
    assertThat(sum / 20_000).isCloseTo(0.5, offset(0.01));
  }
}
