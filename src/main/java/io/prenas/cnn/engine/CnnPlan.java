package io.prenas.cnn.engine;

import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnComplexity;
import io.prenas.cnn.space.CnnModelSettings;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.StageChoices;
import io.prenas.cnn.space.StageConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers of one network of a CNN space with their channel widths and kernels (spec §4, §5): either the supernet
 * (every dimension at its maximum, every slot; {@link #supernet}) or one architecture (its widths, its first d
 * slots, its kernels; {@link #of}). The supernet's tensor layout, an export's layout and the forward pass all read
 * their shapes from a plan, so the three cannot disagree.
 */
record CnnPlan(CnnModelSettings model, int resolution, int stemWidth, int stemKernel, int stemStride,
    List<Layer> layers, int lastWidth, int headWidth) {

  /**
   * Slot j of stage s: input and output widths, expanded width {@code hidden = t c_in} (t = 1: no expand conv), SE
   * width {@code se(c_in)}, kernel, stride, and whether the block adds its input (stride 1 and c_in = c_out).
   */
  record Layer(int stage, int slot, int in, int out, int expand, int hidden, int se, int kernel, int stride,
      boolean residual) {

    /** Key prefix {@code stages.<s>.layers.<j>}. */
    String prefix() {
      return "stages." + stage + ".layers." + slot;
    }

    boolean hasExpand() {
      return expand != 1;
    }
  }

  CnnPlan {
    layers = List.copyOf(layers);
  }

  /** Every slot at its maximum widths and kernel: the supernet's tensors (the residual flags mean nothing here). */
  static CnnPlan supernet(CnnSpace space) {
    List<Layer> layers = new ArrayList<>();
    int prev = last(space.stem().widths());
    for (int s = 0; s < space.stages().size(); s++) {
      StageChoices stage = space.stages().get(s);
      int width = stage.maxWidth();
      int kernel = last(stage.kernels());
      for (int j = 0; j < stage.maxDepth(); j++) {
        int in = j == 0 ? prev : width;
        layers.add(layer(s, j, in, width, stage, kernel));
      }
      prev = width;
    }
    return new CnnPlan(space.model(), space.imageSize(), last(space.stem().widths()), space.stem().kernel(),
        space.stem().stride(), layers, prev, last(space.headWidths()));
  }

  /** The layers one architecture runs (its first d slots per stage), at its widths and kernels. */
  static CnnPlan of(CnnSpace space, CnnArchitecture arch) {
    List<Layer> layers = new ArrayList<>();
    int prev = arch.stem();
    for (int s = 0; s < arch.stages().size(); s++) {
      StageConfig config = arch.stage(s);
      StageChoices stage = space.stages().get(s);
      for (int j = 0; j < config.depth(); j++) {
        int in = j == 0 ? prev : config.width();
        layers.add(layer(s, j, in, config.width(), stage, config.kernel(j)));
      }
      prev = config.width();
    }
    return new CnnPlan(space.model(), arch.resolution(), arch.stem(), space.stem().kernel(), space.stem().stride(),
        layers, prev, arch.head());
  }

  private static Layer layer(int s, int j, int in, int out, StageChoices stage, int kernel) {
    int stride = stage.strideOf(j);
    return new Layer(s, j, in, out, stage.expand(), stage.expand() * in, CnnComplexity.seWidth(in), kernel, stride,
        stride == 1 && in == out);
  }

  /** The BatchNorms the network uses, by key prefix ({@code stem.bn}, ...{@code .expand.bn}), with their widths. */
  List<BatchNormSite> batchNorms() {
    List<BatchNormSite> out = new ArrayList<>();
    out.add(new BatchNormSite(CnnLayout.STEM + ".bn", stemWidth));
    for (Layer l : layers) {
      if (l.hasExpand()) {
        out.add(new BatchNormSite(l.prefix() + ".expand.bn", l.hidden()));
      }
      out.add(new BatchNormSite(l.prefix() + ".depthwise.bn", l.hidden()));
      out.add(new BatchNormSite(l.prefix() + ".project.bn", l.out()));
    }
    out.add(new BatchNormSite(CnnLayout.HEAD + ".bn", headWidth));
    return out;
  }

  /** One BatchNorm of a network: its key prefix and the channels it normalises. */
  record BatchNormSite(String prefix, int width) {}

  private static int last(List<Integer> choices) {
    return choices.get(choices.size() - 1);
  }
}
