package io.prenas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seeded data-free images and inits must not change: the same sequence as java.util.Random, to the bit. */
class SingleThreadRandomTest {

  @Test
  void drawsRandomsSequenceFromEveryMethod() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
      Random expected = new Random(seed);
      Random actual = new SingleThreadRandom(seed);
      for (int i = 0; i < 20_000; i++) {
        // interleaved, as the gradient pass draws Gaussian images and then uniform labels from one generator
        assertEquals(Double.doubleToRawLongBits(expected.nextGaussian()),
            Double.doubleToRawLongBits(actual.nextGaussian()), "nextGaussian, seed " + seed + ", draw " + i);
        if (i % 7 == 0) {
          assertEquals(expected.nextInt(1000), actual.nextInt(1000), "nextInt(bound)");
          assertEquals(expected.nextDouble(), actual.nextDouble(), "nextDouble");
          assertEquals(expected.nextLong(), actual.nextLong(), "nextLong");
          assertEquals(expected.nextFloat(), actual.nextFloat(), "nextFloat");
          assertEquals(expected.nextBoolean(), actual.nextBoolean(), "nextBoolean");
        }
      }
    }
  }

  @Test
  void reseedingStartsTheSequenceAgainAndDropsTheSpareGaussian() {
    Random expected = new Random(3);
    Random actual = new SingleThreadRandom(3);
    expected.nextGaussian(); // leaves the pair's second value waiting
    actual.nextGaussian();
    expected.setSeed(9);
    actual.setSeed(9);
    for (int i = 0; i < 100; i++) {
      assertEquals(expected.nextGaussian(), actual.nextGaussian());
    }
  }
}
