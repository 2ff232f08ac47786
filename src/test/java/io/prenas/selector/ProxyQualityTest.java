package io.prenas.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prenas.selector.ProxyQuality.Observation;
import io.prenas.vit.selection.VitCandidateSelection;
import io.prenas.vit.space.VitArchitecture;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyQualityTest {

  @Test
  void kendallTauWithoutTies() {
    // Pairs: 5 concordant, 1 discordant (the swapped middle), so (5 - 1) / 6.
    assertEquals(4.0 / 6, ProxyQuality.kendallTauB(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-15);
    assertEquals(1.0, ProxyQuality.kendallTauB(new double[] {1, 2, 3}, new double[] {10, 20, 30}), 1e-15);
    assertEquals(-1.0, ProxyQuality.kendallTauB(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
  }

  @Test
  void kendallTauBWithTies() {
    // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) = -0.47140452079103173:
    // C = 2, D = 6, 2 pairs tied in x, 1 in y, so -4 / sqrt(8 * 9).
    double tau = ProxyQuality.kendallTauB(new double[] {12, 2, 1, 12, 2}, new double[] {1, 4, 7, 1, 0});
    assertEquals(-4 / Math.sqrt(72), tau, 1e-15);
    assertEquals(-0.47140452079103173, tau, 1e-15);
  }

  @Test
  void kendallTauRejectsDegenerateInput() {
    assertThrows(IllegalArgumentException.class, () -> ProxyQuality.kendallTauB(new double[] {1}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> ProxyQuality.kendallTauB(new double[] {1, 1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> ProxyQuality.kendallTauB(new double[] {1, 2}, new double[] {1, 2, 3}));
  }

  @Test
  void meanBestRank() {
    // Group A: the proxy picks the least accurate of 3 (rank 3); group B: the best of 2 (rank 1).
    List<Observation> a = List.of(new Observation(0.7, 3), new Observation(0.9, 1), new Observation(0.8, 2));
    List<Observation> b = List.of(new Observation(0.5, 1), new Observation(0.6, 2));
    assertEquals((2 + 0) / (2.0 + 1.0), ProxyQuality.meanBestRank(List.of(a, b)), 1e-15);
    assertEquals(0.0, ProxyQuality.meanBestRank(List.of(b)));
    assertEquals(1.0, ProxyQuality.meanBestRank(List.of(a)));
    // Accuracy ties share the best rank.
    List<Observation> tied = List.of(new Observation(0.8, 1), new Observation(0.8, 5), new Observation(0.1, 0));
    assertEquals(0.0, ProxyQuality.meanBestRank(List.of(tied)));
    assertThrows(IllegalArgumentException.class,
        () -> ProxyQuality.meanBestRank(List.of(List.of(new Observation(0.5, 1)))));
  }

  @Test
  void isomerGroupSizeIsAProductOfMultinomials() {
    // D = 4, ratios {4.0: 3, 3.5: 1} -> 4!/(3!1!) = 4; heads {1: 4} -> 1.
    assertEquals(4, VitCandidateSelection.isomerGroupSize(
        new VitArchitecture(96, 4, List.of(4.0, 3.5, 4.0, 4.0), List.of(1, 1, 1, 1))));
    // D = 4, ratios 2/2 -> 6; heads 2/2 -> 6.
    assertEquals(36, VitCandidateSelection.isomerGroupSize(
        new VitArchitecture(128, 4, List.of(4.0, 3.5, 3.5, 4.0), List.of(2, 1, 2, 1))));
    // D = 14 with three choices 5/4/5: 14!/(5!4!5!) = 252252, squared for heads alike.
    List<Double> r = List.of(3.0, 3.0, 3.0, 3.0, 3.0, 3.5, 3.5, 3.5, 3.5, 4.0, 4.0, 4.0, 4.0, 4.0);
    List<Integer> h = List.of(5, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7);
    assertEquals(252252L * 252252L, VitCandidateSelection.isomerGroupSize(new VitArchitecture(448, 14, r, h)));
  }
}
