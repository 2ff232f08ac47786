package io.prenas.vit.space;

import java.util.Map;
import java.util.TreeMap;

/** {@link BlockScores} from the reference's {@code "E,choice"}-keyed maps, restricted to one embedding width. */
final class KeyedBlockScores implements BlockScores {

  private final int embedDim;
  private final Map<Double, double[]> mlp;
  private final Map<Double, double[]> heads;

  private KeyedBlockScores(int embedDim, Map<Double, double[]> mlp, Map<Double, double[]> heads) {
    this.embedDim = embedDim;
    this.mlp = mlp;
    this.heads = heads;
  }

  static KeyedBlockScores of(int embedDim, Map<String, double[]> headScores, Map<String, double[]> mlpScores) {
    return new KeyedBlockScores(embedDim, byChoice(embedDim, mlpScores), byChoice(embedDim, headScores));
  }

  private static Map<Double, double[]> byChoice(int embedDim, Map<String, double[]> keyed) {
    Map<Double, double[]> result = new TreeMap<>();
    for (Map.Entry<String, double[]> entry : keyed.entrySet()) {
      String[] parts = entry.getKey().split(",");
      if (parts.length != 2) {
        throw new IllegalArgumentException("block score key must be \"E,choice\", got \"" + entry.getKey() + "\"");
      }
      try {
        if (Integer.parseInt(parts[0].trim()) == embedDim) {
          result.put(Double.parseDouble(parts[1].trim()), entry.getValue().clone());
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("block score key must be \"E,choice\", got \"" + entry.getKey() + "\"", e);
      }
    }
    return result;
  }

  @Override
  public double[] mlp(double ratio) {
    return lookup(mlp, ratio, "mlp ratio");
  }

  @Override
  public double[] heads(int numHeads) {
    return lookup(heads, numHeads, "head count");
  }

  private double[] lookup(Map<Double, double[]> scores, double choice, String what) {
    double[] s = scores.get(choice);
    if (s == null) {
      throw new IllegalArgumentException("no block scores for " + what + " " + choice + " at embed dim " + embedDim
          + " (have " + scores.keySet() + ")");
    }
    return s.clone();
  }
}
