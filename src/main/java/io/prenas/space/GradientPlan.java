package io.prenas.space;

import java.util.List;
import java.util.Objects;

/**
 * How a family's zero-cost score takes its gradients: which architecture runs at which input size, under which loss,
 * and what the data-free images are. A ViT takes one pass of its max architecture at the space's image size (the
 * reference: sum of logits on ImageNet-coloured Gaussian images); a family with elastic resolution takes one pass per
 * input size, each giving the gradients that score the architectures of that size.
 *
 * @param passes one per input size, ascending; a single pass unless {@link #perInputSize}
 * @param loss the family's reference loss
 * @param perInputSize true when the gradients are kept one set per input size (the score of an architecture uses the
 *     set of its own input size), false for one set
 * @param dataFree the distribution of the data-free images
 */
public record GradientPlan(List<Pass> passes, Loss loss, boolean perInputSize, DataFreeImages dataFree) {

  /** One gradient pass: this architecture on images of this side. */
  public record Pass(int inputSize, Architecture architecture) {
    public Pass {
      Objects.requireNonNull(architecture, "architecture");
      if (inputSize <= 0) throw new IllegalArgumentException("input size must be positive, got " + inputSize);
    }
  }

  /** What is differentiated. */
  public enum Loss {
    /** {@code sum(logits)}: the ViT reference's data-free signal; needs no labels. */
    SUM_OF_LOGITS,
    /** Cross-entropy summed over the images (no label smoothing); needs labels (drawn uniformly when data-free). */
    SUMMED_CROSS_ENTROPY
  }

  /** Data-free images. */
  public enum DataFreeImages {
    /** Channel c i.i.d. N(mean_c, std_c) with the ImageNet statistics (the ViT reference, raw-pixel scale). */
    IMAGENET_PIXELS,
    /** Every value i.i.d. N(0, 1) (already-normalised images), with uniformly drawn labels. */
    STANDARD_NORMAL
  }

  public GradientPlan {
    passes = List.copyOf(passes);
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(dataFree, "dataFree");
    if (passes.isEmpty()) throw new IllegalArgumentException("a gradient plan needs at least one pass");
    if (!perInputSize && passes.size() != 1) {
      throw new IllegalArgumentException("a plan with one set of gradients has exactly one pass");
    }
  }

  /** The ViT reference's plan: the max architecture once at the space's image size, sum of logits. */
  public static GradientPlan single(SearchSpace space) {
    return new GradientPlan(List.of(new Pass(space.imageSize(), space.maxArchitecture())), Loss.SUM_OF_LOGITS, false,
        DataFreeImages.IMAGENET_PIXELS);
  }
}
