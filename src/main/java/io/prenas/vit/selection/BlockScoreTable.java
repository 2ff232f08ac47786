package io.prenas.vit.selection;

import io.prenas.selector.SelectorException;
import io.prenas.space.PythonFloat;
import io.prenas.vit.space.BlockScores;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer block scores (spec 4.2), keyed like the reference's {@code gen_key}: {@code "E,choice"}, e.g.
 * {@code "240,4"} for heads or {@code "240,4.0"} for an MLP ratio. Each list has one value per layer of the
 * max-depth network and measures the units added going from the next-smaller choice to this one, so the smallest
 * choice has no key. Values are float32, as the reference computes them.
 */
public record BlockScoreTable(Map<String, List<Float>> headScores, Map<String, List<Float>> mlpScores) {

  public BlockScoreTable {
    headScores = Collections.unmodifiableMap(new LinkedHashMap<>(headScores));
    mlpScores = Collections.unmodifiableMap(new LinkedHashMap<>(mlpScores));
  }

  /** The reference's key: {@code f"{embed_dim},{choice}"} with Python's {@code str} of the choice. */
  public static String key(int embedDim, int heads) {
    return embedDim + "," + heads;
  }

  public static String key(int embedDim, double mlpRatio) {
    return embedDim + "," + io.prenas.space.PythonFloat.repr(mlpRatio);
  }

  public List<Float> heads(int embedDim, int heads) {
    return require(headScores, key(embedDim, heads), "head");
  }

  public List<Float> mlp(int embedDim, double mlpRatio) {
    return require(mlpScores, key(embedDim, mlpRatio), "mlp");
  }

  /**
   * The scores the greedy allocation uses: those of the given width (the reference's {@code max_dim} passes
   * {@code E_max}), in the form {@link io.prenas.space.IsomerEnumerator} takes.
   */
  public BlockScores forAllocation(int embedDim) {
    return BlockScores.fromKeyed(embedDim, toArrays(headScores), toArrays(mlpScores));
  }

  private static Map<String, double[]> toArrays(Map<String, List<Float>> scores) {
    Map<String, double[]> out = new LinkedHashMap<>();
    scores.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Float::doubleValue).toArray()));
    return out;
  }

  private static List<Float> require(Map<String, List<Float>> map, String key, String what) {
    List<Float> scores = map.get(key);
    if (scores == null) {
      throw new SelectorException("no " + what + " block score for '" + key + "' (keys: " + map.keySet() + ")");
    }
    return scores;
  }
}
