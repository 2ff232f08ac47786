package io.prenas.vit.space;

import io.prenas.space.ResourceRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Exact parameter and FLOPs counts of a sub-network, by closed-form arithmetic (no tensors).
 *
 * <p>Parameters follow the reference's {@code get_sampled_params_numel} (spec 3.1): every sliced tensor, the four
 * relative-position tables of each layer, cls and pos. FLOPs follow the reference's {@code get_complexity} (spec
 * 3.2, really multiply-accumulates), generalised from 224/16 and 1000 classes to any {@link ModelSettings}, with its
 * token-count quirks kept: L+2 tokens inside blocks, L+1 in the head, pos counted as half its size, and the
 * relative-position terms scaled by {@code max_relative_position} (not by the grid side).
 */
public final class Complexity {

  /** The two tables (vertical, horizontal) of each of rel-pos K and V. */
  private static final int REL_POS_TABLES_PER_LAYER = 4;

  private Complexity() {}

  /** Parameter count of a sub-network (the reference's {@code get_sampled_params_numel}). */
  public static long params(VitArchitecture arch, ModelSettings model) {
    long e = arch.embedDim();
    long tokens = model.numPatches();
    long total = model.patchInputSize() * e + e; // patch conv weight + bias
    total += (2 + tokens) * e; // cls (E) + pos ((L+1) E)
    for (int i = 0; i < arch.depth(); i++) {
      total += layerParams(e, arch.qkDim(i), arch.ffnDim(i), model);
    }
    total += 2 * e; // final norm
    total += model.numClasses() * e + model.numClasses(); // head
    return total;
  }

  private static long layerParams(long e, long q, long f, ModelSettings model) {
    return 2 * e // attention LayerNorm
        + 3 * q * e + 3 * q // qkv with bias
        + q * e + e // proj
        + (long) REL_POS_TABLES_PER_LAYER * model.relativeTableRows() * SupernetDims.HEAD_DIM // sliced to 64 columns
        + f * e + f // fc1
        + f * e + e // fc2
        + 2 * e; // MLP LayerNorm
  }

  /**
   * FLOPs of a sub-network in the reference's {@code get_complexity(L)} convention with L = number of patches.
   * The only fractional terms are halves, so the sum is kept exactly in half-units and divided once at the end:
   * the result equals the reference's float64 value bit for bit.
   */
  public static double flops(VitArchitecture arch, ModelSettings model) {
    long e = arch.embedDim();
    long tokens = model.numPatches();
    long halves = 2 * (e + tokens * model.patchInputSize() * e); // patch: bias size + L * |W|
    halves += (tokens + 1) * e; // pos_embed numel / 2
    long n = tokens + 2; // the model passes L+1 to the block, the block passes one more to its parts
    for (int i = 0; i < arch.depth(); i++) {
      halves += blockHalfFlops(n, e, arch.qkDim(i), arch.ffnDim(i), model.maxRelativePosition());
    }
    halves += 2 * (tokens + 1) * model.numClasses() * e; // head on L+1 tokens
    return halves / 2.0;
  }

  private static long blockHalfFlops(long n, long e, long q, long f, long maxRel) {
    long whole = n * e // attention LayerNorm
        + n * 3 * q * e // qkv
        + 2 * n * n * q // Q K^T and A V
        + n * e * q // proj
        + 2 * maxRel * n * n // rel-pos K and V lookups
        + n * e // MLP LayerNorm
        + 2 * n * f * e; // fc1 + fc2
    long halves = n * n + n * q; // the two "/ 2.0" rel-pos terms
    return 2 * whole + halves;
  }

  /**
   * Number of values in all supernet tensors (spec 2.2; the training script's "number of params"). The rel-pos
   * tables are {@code E_s // NUM_HEADS} wide here, as the reference builds them; sub-networks slice them to 64.
   */
  public static long supernetParams(SupernetDims supernet, ModelSettings model) {
    long e = supernet.embedDim();
    long f = supernet.ffnDim();
    long tokens = model.numPatches();
    long total = model.patchInputSize() * e + e + e + (tokens + 1) * e; // patch, cls, pos
    long perLayer = 2 * e // attention LayerNorm
        + supernet.qkvRows() * e + supernet.qkvRows() // qkv
        + (long) REL_POS_TABLES_PER_LAYER * model.relativeTableRows() * (supernet.embedDim() / supernet.numHeads())
        + e * e + e // proj
        + 2 * e // MLP LayerNorm
        + f * e + f // fc1
        + e * f + e; // fc2
    total += supernet.depth() * perLayer;
    total += 2 * e + model.numClasses() * e + model.numClasses(); // final norm, head
    return total;
  }

  public static long supernetParams(VitSpace space) {
    return supernetParams(space.supernet(), space.model());
  }

  /**
   * Smallest and largest parameter count and FLOPs of the space (the reference's {@code get_params_range}, which
   * looks at the raw space, not at what the enumeration reaches). Both measures grow with every choice, so the
   * extremes are, per embedding width, the shallowest net with the smallest choice in every layer and the deepest
   * with the largest; the result is the min and max over widths.
   */
  public static ResourceRange range(VitSpace space) {
    List<VitArchitecture> smallest = new ArrayList<>();
    List<VitArchitecture> largest = new ArrayList<>();
    for (int e : space.embedDims()) {
      LayerwiseChoices choices = space.choicesFor(e);
      smallest.add(extreme(e, Collections.min(choices.depths()), choices, false));
      largest.add(extreme(e, Collections.max(choices.depths()), choices, true));
    }
    ModelSettings model = space.model();
    return new ResourceRange(
        smallest.stream().mapToLong(a -> params(a, model)).min().orElseThrow(),
        largest.stream().mapToLong(a -> params(a, model)).max().orElseThrow(),
        smallest.stream().mapToDouble(a -> flops(a, model)).min().orElseThrow(),
        largest.stream().mapToDouble(a -> flops(a, model)).max().orElseThrow());
  }

  private static VitArchitecture extreme(int embedDim, int depth, LayerwiseChoices choices, boolean largest) {
    List<Double> ratios = new ArrayList<>();
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      List<Double> r = choices.mlpRatiosPerLayer().get(i);
      List<Integer> h = choices.numHeadsPerLayer().get(i);
      ratios.add(largest ? Collections.max(r) : Collections.min(r));
      heads.add(largest ? Collections.max(h) : Collections.min(h));
    }
    return new VitArchitecture(embedDim, depth, ratios, heads);
  }
}
