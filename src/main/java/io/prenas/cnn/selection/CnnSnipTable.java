package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnComplexity;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.StageChoices;
import io.prenas.cnn.space.StageConfig;
import io.prenas.selector.SnipInputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SNIP partial sums of one resolution (spec cnn-space §8, "Additivity"): Σ|θ·g| in float64 over the sliced
 * parameters of every part an architecture can use, with g the gradient of the max subnet at that resolution. A part
 * is the stem (per width c0), a layer slot (s, j) with its input width, output width and kernel, or the head with the
 * classifier (per last-stage width c_L and head width H). The parameters summed are exactly those §7 counts: conv
 * weights (channel prefixes, centre kernel), SE weights and biases (SE width se(c_in)), BN γ and β (not the running
 * statistics), the classifier weight {@code [:, :H]} and its whole bias.
 *
 * <p>An architecture's score is the sum of its parts, added in network order (stem, layers, head), so every caller
 * (direct scoring, brute force, the exact search) gets the same double.
 */
public final class CnnSnipTable implements PartValues {

  private final CnnSpace space;
  private final int resolution;
  private final double[] stem;
  /** [stage][slot][c_in index][c_out index][kernel index]; for slot ≥ 1 only c_in index = c_out index is set. */
  private final double[][][][][] layers;
  private final double[][] head;

  private CnnSnipTable(CnnSpace space, int resolution, double[] stem, double[][][][][] layers, double[][] head) {
    this.space = space;
    this.resolution = resolution;
    this.stem = stem;
    this.layers = layers;
    this.head = head;
  }

  /**
   * The partial sums from the weights and the gradients of this resolution's pass.
   *
   * @throws io.prenas.selector.SelectorException when a tensor is missing or not at the supernet's max shape
   */
  public static CnnSnipTable compute(CnnSpace space, int resolution, SnipInputs in) {
    SupernetShapes shapes = SupernetShapes.of(space);
    shapes.check(in);
    double[] stem = stemSums(space, in);
    double[][][][][] layers = new double[space.stages().size()][][][][];
    for (int s = 0; s < layers.length; s++) {
      StageChoices stage = space.stages().get(s);
      layers[s] = new double[stage.maxDepth()][][][];
      for (int j = 0; j < stage.maxDepth(); j++) {
        layers[s][j] = slotSums(space, shapes, in, s, j);
      }
    }
    return new CnnSnipTable(space, resolution, stem, layers, headSums(space, in));
  }

  private static double[] stemSums(CnnSpace space, SnipInputs in) {
    List<Integer> widths = space.stem().widths();
    int ks = space.stem().kernel();
    float[] w = in.weight("stem.conv.weight");
    float[] g = in.grad("stem.conv.weight");
    double[] sums = new double[widths.size()];
    for (int i = 0; i < widths.size(); i++) {
      int c0 = widths.get(i);
      sums[i] = SliceSums.conv(w, g, space.model().inChans(), ks, c0, space.model().inChans(), ks)
          + bn(in, "stem.bn", c0);
    }
    return sums;
  }

  private static double[][][] slotSums(CnnSpace space, SupernetShapes shapes, SnipInputs in, int s, int j) {
    StageChoices stage = space.stages().get(s);
    List<Integer> inputs = j == 0 ? inputWidths(space, s) : stage.widths();
    double[][][] sums = new double[inputs.size()][stage.widths().size()][stage.kernels().size()];
    for (int ci = 0; ci < inputs.size(); ci++) {
      for (int wi = 0; wi < stage.widths().size(); wi++) {
        if (j > 0 && ci != wi) {
          sums[ci][wi] = null; // a later layer's input is the stage's own width
          continue;
        }
        for (int ki = 0; ki < stage.kernels().size(); ki++) {
          sums[ci][wi][ki] = layerSum(space, shapes, in, s, j, inputs.get(ci), stage.widths().get(wi),
              stage.kernels().get(ki));
        }
      }
    }
    return sums;
  }

  /** One MBConv layer: expand (t ≠ 1), depthwise (centre kernel), SE (width se(c_in)), projection, each with its BN. */
  private static double layerSum(CnnSpace space, SupernetShapes shapes, SnipInputs in, int s, int j, int cIn,
      int cOut, int k) {
    String p = "stages." + s + ".layers." + j + ".";
    SupernetShapes.Slot slot = shapes.slot(s, j);
    int t = space.stages().get(s).expand();
    int hid = t * cIn;
    double sum = 0;
    if (t != 1) {
      sum += SliceSums.matrix(in.weight(p + "expand.conv.weight"), in.grad(p + "expand.conv.weight"), slot.cinMax(),
          hid, cIn);
      sum += bn(in, p + "expand.bn", hid);
    }
    sum += SliceSums.conv(in.weight(p + "depthwise.conv.weight"), in.grad(p + "depthwise.conv.weight"), 1,
        slot.kernelMax(), hid, 1, k);
    sum += bn(in, p + "depthwise.bn", hid);
    if (space.model().se()) {
      int e = CnnComplexity.seWidth(cIn);
      sum += SliceSums.matrix(in.weight(p + "se.reduce.weight"), in.grad(p + "se.reduce.weight"), slot.hidMax(), e,
          hid);
      sum += SliceSums.vector(in.weight(p + "se.reduce.bias"), in.grad(p + "se.reduce.bias"), e);
      sum += SliceSums.matrix(in.weight(p + "se.expand.weight"), in.grad(p + "se.expand.weight"), slot.seMax(), hid,
          e);
      sum += SliceSums.vector(in.weight(p + "se.expand.bias"), in.grad(p + "se.expand.bias"), hid);
    }
    sum += SliceSums.matrix(in.weight(p + "project.conv.weight"), in.grad(p + "project.conv.weight"), slot.hidMax(),
        cOut, hid);
    sum += bn(in, p + "project.bn", cOut);
    return sum;
  }

  /** Head conv [:H, :c_L] with its BN [:H], then the classifier weight [:, :H] and its whole bias. */
  private static double[][] headSums(CnnSpace space, SnipInputs in) {
    List<Integer> last = lastWidths(space);
    List<Integer> heads = space.headWidths();
    int cLMax = last.get(last.size() - 1);
    int hMax = heads.get(heads.size() - 1);
    int classes = space.model().numClasses();
    float[] cw = in.weight("classifier.weight");
    float[] cg = in.grad("classifier.weight");
    double bias = SliceSums.vector(in.weight("classifier.bias"), in.grad("classifier.bias"), classes);
    double[][] sums = new double[last.size()][heads.size()];
    for (int li = 0; li < last.size(); li++) {
      for (int hi = 0; hi < heads.size(); hi++) {
        int h = heads.get(hi);
        sums[li][hi] = SliceSums.matrix(in.weight("head.conv.weight"), in.grad("head.conv.weight"), cLMax, h,
            last.get(li)) + bn(in, "head.bn", h) + SliceSums.matrix(cw, cg, hMax, classes, h) + bias;
      }
    }
    return sums;
  }

  private static double bn(SnipInputs in, String prefix, int c) {
    return SliceSums.vector(in.weight(prefix + ".weight"), in.grad(prefix + ".weight"), c)
        + SliceSums.vector(in.weight(prefix + ".bias"), in.grad(prefix + ".bias"), c);
  }

  /** The widths that can enter stage s: the stem's for the first stage, else the previous stage's. */
  static List<Integer> inputWidths(CnnSpace space, int s) {
    return s == 0 ? space.stem().widths() : space.stages().get(s - 1).widths();
  }

  static List<Integer> lastWidths(CnnSpace space) {
    return space.stages().get(space.stages().size() - 1).widths();
  }

  @Override
  public int resolution() {
    return resolution;
  }

  @Override
  public double stemAt(int c0Index) {
    return stem[c0Index];
  }

  @Override
  public double layerAt(int s, int j, int cInIndex, int cOutIndex, int kIndex) {
    return layers[s][j][cInIndex][cOutIndex][kIndex];
  }

  @Override
  public double headAt(int cLIndex, int hIndex) {
    return head[cLIndex][hIndex];
  }

  /**
   * The score of an architecture at this table's resolution: stem, then every layer in order, then the head.
   *
   * @throws IllegalArgumentException when the architecture has another resolution
   */
  public double score(CnnArchitecture arch) {
    double sum = 0;
    for (double part : parts(arch).values()) {
      sum += part;
    }
    return sum;
  }

  /**
   * The score split by part, in network order: {@code stem}, {@code stages.<s>.layers.<j>}, {@code head+classifier}
   * (the split of the fixtures' snip.json).
   */
  public Map<String, Double> parts(CnnArchitecture arch) {
    if (arch.resolution() != resolution) {
      throw new IllegalArgumentException("architecture " + arch.id() + " is at resolution " + arch.resolution()
          + ", these partial sums are for " + resolution);
    }
    space.validate(arch);
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("stem", stem[space.stem().widths().indexOf(arch.stem())]);
    int prev = arch.stem();
    for (int s = 0; s < space.stages().size(); s++) {
      StageChoices choices = space.stages().get(s);
      StageConfig stage = arch.stage(s);
      int wi = choices.widths().indexOf(stage.width());
      for (int j = 0; j < stage.depth(); j++) {
        int ci = j == 0 ? inputWidths(space, s).indexOf(prev) : wi;
        parts.put("stages." + s + ".layers." + j, layers[s][j][ci][wi][choices.kernels().indexOf(stage.kernel(j))]);
      }
      prev = stage.width();
    }
    parts.put("head+classifier", head[lastWidths(space).indexOf(prev)][space.headWidths().indexOf(arch.head())]);
    return parts;
  }
}
