package io.prenas.vit.selection;

import static io.prenas.selector.RegionSums.Term.ABS_PRODUCT;

import io.prenas.selector.RegionSums;
import io.prenas.selector.ScoreMode;
import io.prenas.selector.SnipInputs;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.util.List;

/**
 * {@link ScoreMode#SUBNET}: Σ|θ·g| over exactly the subnet's parameters, in double. Per E the layer-independent
 * tensors (patch, cls and pos {@code [..., :E]}, final norm, {@code head.weight[:, :E]}, the whole head bias), and
 * per layer the parts that depend on E only (vectors, relative-position tables), on (E, h) (qkv rows, proj columns)
 * and on (E, r) (fc1/fc2 units), all from prefix sums over leading rectangles.
 */
final class SubnetScorer extends CandidateScorer {

  private final double[] global; // [e]
  private final double[][] layerConst; // [l][e]
  private final double[][][] layerHeads; // [l][e][h]
  private final double[][][] layerMlp; // [l][e][r]

  SubnetScorer(VitSpace space) {
    super(space);
    int ne = embedDims.size();
    int heads = space.sortedNumHeads().size();
    this.global = new double[ne];
    this.layerConst = new double[layers][ne];
    this.layerHeads = new double[layers][ne][heads];
    this.layerMlp = new double[layers][ne][ratios.length];
  }

  @Override
  public ScoreMode mode() {
    return ScoreMode.SUBNET;
  }

  @Override
  double score(VitArchitecture arch, int e) {
    double total = global[e];
    for (int l = 0; l < arch.depth(); l++) {
      total += layerConst[l][e] + layerHeads[l][e][headIndexOf(arch, l)] + layerMlp[l][e][ratioIndexOf(arch, l)];
    }
    return total;
  }

  @Override
  void fillGlobal(VitSpace space, SnipInputs in) {
    SupernetDims sup = space.supernet();
    ModelSettings model = space.model();
    int superE = sup.embedDim();
    int classes = model.numClasses();
    int tokens = model.numPatches() + 1;
    int patchInputs = model.patchInputSize();
    in.requireShape(ReferenceKeys.CLS_TOKEN, 1, 1, superE);
    in.requireShape(ReferenceKeys.POS_EMBED, 1, tokens, superE);
    int[] e = cuts(embedDims);
    double[][] patchW = leading(in, ReferenceKeys.PATCH_WEIGHT, superE, patchInputs, e, new int[] {patchInputs});
    double[] patchB = vector(in, ReferenceKeys.PATCH_BIAS, e);
    double[] cls = vector(in, ReferenceKeys.CLS_TOKEN, e);
    double[] pos = leading(in, ReferenceKeys.POS_EMBED, tokens, superE, new int[] {tokens}, e)[0];
    double[] normW = vector(in, ReferenceKeys.NORM_WEIGHT, e);
    double[] normB = vector(in, ReferenceKeys.NORM_BIAS, e);
    double[] headW = leading(in, ReferenceKeys.HEAD_WEIGHT, classes, superE, new int[] {classes}, e)[0];
    double headBias = RegionSums.total(in.weight(ReferenceKeys.HEAD_BIAS), in.grad(ReferenceKeys.HEAD_BIAS),
        ABS_PRODUCT);
    for (int i = 0; i < embedDims.size(); i++) {
      global[i] = patchW[i][0] + patchB[i] + cls[i] + pos[i] + normW[i] + normB[i] + headW[i] + headBias;
    }
  }

  @Override
  void fillLayer(VitSpace space, SnipInputs in, int l) {
    int superE = space.supernet().embedDim();
    int superF = space.supernet().ffnDim();
    List<Integer> heads = space.sortedNumHeads();
    int[] e = cuts(embedDims);
    int[] qkvRows = heads.stream().mapToInt(h -> 3 * SupernetDims.HEAD_DIM * h).toArray();
    int[] qDims = heads.stream().mapToInt(h -> SupernetDims.HEAD_DIM * h).toArray();

    // qkv: rows below 3·64·h are exactly the interleaved q, k and v rows of h heads; columns below E.
    double[][] qkvW = leading(in, ReferenceKeys.qkvWeight(l), 3 * superE, superE, qkvRows, e);
    double[] qkvB = vector(in, ReferenceKeys.qkvBias(l), qkvRows);
    double[][] projW = leading(in, ReferenceKeys.projWeight(l), superE, superE, e, qDims);
    double[] perE = new double[embedDims.size()];
    for (String key : layerVectors(l)) {
      double[] v = vector(in, key, e);
      for (int i = 0; i < perE.length; i++) perE[i] += v[i];
    }
    double relPos = 0;
    for (String table : ReferenceKeys.REL_POS_TABLES) {
      String key = ReferenceKeys.block(l, table);
      in.shape(key);
      relPos += RegionSums.total(in.weight(key), in.grad(key), ABS_PRODUCT);
    }
    int[] units = hiddenWidths();
    double[][] fc1W = leading(in, ReferenceKeys.fc1Weight(l), superF, superE, units, e);
    double[] fc1B = vector(in, ReferenceKeys.fc1Bias(l), units);
    double[][] fc2W = leading(in, ReferenceKeys.fc2Weight(l), superE, superF, e, units);

    for (int i = 0; i < embedDims.size(); i++) {
      layerConst[l][i] = perE[i] + relPos;
      for (int h = 0; h < heads.size(); h++) {
        layerHeads[l][i][h] = qkvW[h][i] + qkvB[h] + projW[i][h];
      }
      for (int r = 0; r < ratios.length; r++) {
        int u = i * ratios.length + r;
        layerMlp[l][i][r] = fc1W[u][i] + fc1B[u] + fc2W[i][u];
      }
    }
  }
}
