package io.prenas.selector;

import java.util.Collection;
import java.util.List;

/**
 * How well a zero-cost proxy ranks architectures whose accuracy was measured (paper Appendix A): Kendall's tau-b
 * between proxy scores and accuracies, and the mean Best Rank (mBR) of the proxy over groups of architectures, e.g.
 * isomer groups of equal size.
 */
public final class ProxyQuality {

  private ProxyQuality() {}

  /** One measured architecture: its accuracy and its proxy score. */
  public record Observation(double accuracy, double score) {
    public Observation {
      if (Double.isNaN(accuracy) || Double.isNaN(score)) {
        throw new IllegalArgumentException("accuracy and score must be numbers");
      }
    }
  }

  /**
   * Kendall's tau-b, which corrects for ties: {@code (C - D) / sqrt((n0 - n1)(n0 - n2))} with C and D the concordant
   * and discordant pairs, n0 = n(n-1)/2, and n1, n2 the pairs tied in x and in y. A pair tied in both counts in
   * neither C nor D. O(n²) pairs, which is fine for the few thousand architectures such studies measure.
   *
   * @throws IllegalArgumentException for arrays of different length, fewer than two values, or a constant array
   *     (tau-b is undefined)
   */
  public static double kendallTauB(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("need as many x as y values, got " + x.length + " and " + y.length);
    }
    int n = x.length;
    if (n < 2) throw new IllegalArgumentException("need at least two pairs, got " + n);
    long concordant = 0;
    long discordant = 0;
    long tiedX = 0;
    long tiedY = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int dx = Double.compare(x[i], x[j]);
        int dy = Double.compare(y[i], y[j]);
        if (dx == 0) tiedX++;
        if (dy == 0) tiedY++;
        if (dx != 0 && dy != 0) {
          if (dx == dy) concordant++;
          else discordant++;
        }
      }
    }
    long pairs = (long) n * (n - 1) / 2;
    double denominator = Math.sqrt((double) (pairs - tiedX) * (pairs - tiedY));
    if (denominator == 0) throw new IllegalArgumentException("tau-b is undefined when x or y is constant");
    return (concordant - discordant) / denominator;
  }

  /** Kendall's tau-b between the scores and the accuracies of a list of observations. */
  public static double kendallTauB(List<Observation> observations) {
    double[] scores = observations.stream().mapToDouble(Observation::score).toArray();
    double[] accuracies = observations.stream().mapToDouble(Observation::accuracy).toArray();
    return kendallTauB(scores, accuracies);
  }

  /**
   * mean Best Rank: {@code Σ_g (r_g - 1) / Σ_g (|g| - 1)}, where r_g is the accuracy rank (1 = most accurate) of the
   * architecture the proxy scores highest in group g. 0 when the proxy always picks the best architecture, 1 when
   * it always picks the worst. Accuracy ties share the best rank (r = 1 + number strictly more accurate); score ties
   * go to the first observation in the group's order.
   *
   * @throws IllegalArgumentException when there are no groups, a group is empty, or every group has one member
   */
  public static double meanBestRank(Collection<List<Observation>> groups) {
    long rankSum = 0;
    long sizeSum = 0;
    for (List<Observation> group : groups) {
      if (group.isEmpty()) throw new IllegalArgumentException("a group has no observations");
      Observation picked = group.get(0);
      for (Observation o : group) {
        if (o.score() > picked.score()) picked = o;
      }
      int better = 0;
      for (Observation o : group) {
        if (o.accuracy() > picked.accuracy()) better++;
      }
      rankSum += better; // r_g - 1
      sizeSum += group.size() - 1;
    }
    if (sizeSum == 0) throw new IllegalArgumentException("mBR needs at least one group with two or more members");
    return (double) rankSum / sizeSum;
  }
}
