package io.prenas.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.SplittableRandom;

/**
 * A search space of any model family: what the pipeline asks of a space. The selector driver, the training loop,
 * jobs, catalog and API work on this interface; a family ({@link ModelFamily}) implements it with its own choices,
 * counting and architecture format.
 */
public interface SearchSpace {

  /** The space's name (a built-in name, the file name without extension, or the name it was registered under). */
  String name();

  /** The {@link ModelFamily#type()} of the family that reads and runs this space ({@code vit}). */
  String family();

  /** Classes of the model's head. */
  int numClasses();

  /** Image channels the model takes. */
  int inChannels();

  /** Side of the square images the model takes (the largest, for a family with elastic resolution). */
  int imageSize();

  /** Size of the supernet (registration limits bound it before anything is computed over the space). */
  SupernetSize supernetSize();

  /**
   * Bytes of float32 activations that one image of the largest architecture keeps for the backward pass: the part
   * of a training step's memory that grows with the batch (an estimate, for admission control).
   */
  double activationBytesPerImage();

  /** Number of distinct architectures. */
  BigInteger architectureCount();

  /**
   * Checks that an architecture belongs to this space.
   *
   * @throws SpaceException naming the field and the layer at fault, or saying that the architecture is of another
   *     family
   */
  void validate(Architecture arch);

  /** True when {@link #validate(Architecture)} accepts the architecture. */
  default boolean contains(Architecture arch) {
    try {
      validate(arch);
      return true;
    } catch (SpaceException e) {
      return false;
    }
  }

  /** The largest architecture: the configuration of the zero-cost gradient pass. */
  Architecture maxArchitecture();

  /**
   * The input sizes the space's architectures take, ascending (one for a fixed-resolution family: the image size).
   */
  default java.util.List<Integer> inputSizes() {
    return java.util.List.of(imageSize());
  }

  /** The side of the square images this architecture runs on (a fixed-resolution family: the image size). */
  default int inputSize(Architecture arch) {
    return imageSize();
  }

  /**
   * Whether the family's supernet computes in bfloat16 mixed precision ({@code precision: bf16}); a family that does
   * not trains and evaluates in float32 only.
   */
  default boolean supportsBf16() {
    return false;
  }

  /**
   * Whether the family's networks normalise with batch statistics (BatchNorm): their gradient pass then runs the whole
   * batch at once, since splitting it would change the statistics the gradients are taken of.
   */
  default boolean hasBatchStatistics() {
    return false;
  }

  /** How the zero-cost score takes its gradients (default: the ViT reference's single pass, {@link GradientPlan#single}). */
  default GradientPlan gradientPlan() {
    return GradientPlan.single(this);
  }

  /** Exact parameter count of an architecture (the reference's convention for the family). */
  long params(Architecture arch);

  /** FLOPs of an architecture (the reference's convention for the family). */
  double flops(Architecture arch);

  /** The smallest and largest parameter and FLOPs counts over the space. */
  ResourceRange resourceRange();

  /** True when a JSON object is one architecture config (rather than a file of bins of configs). */
  boolean isArchitectureConfig(JsonNode node);

  /**
   * Reads one architecture config of the family's JSON format. The result is well-formed but not yet checked
   * against this space ({@link #validate}).
   *
   * @throws SpaceException naming the field at fault
   */
  Architecture readArchitecture(JsonNode config);

  /** The config object of an architecture, in the format {@link #readArchitecture} reads. */
  ObjectNode writeArchitecture(Architecture arch);

  /**
   * The group an architecture belongs to for balanced sampling over a preferred set (a step picks a group uniformly,
   * then an architecture in it). Groups are compared with {@code equals}.
   */
  Object samplingGroup(Architecture arch);

  /** An architecture drawn uniformly choice by choice over the whole space (the redundant-training baseline). */
  Architecture sample(SplittableRandom random);

  /** The same space at another input size (benchmarks measure a space at a smaller or larger resolution). */
  SearchSpace withImageSize(int imageSize);

  /** The summary as text, for {@code space describe}: one labelled line per fact. */
  String describeText();

  /** A summary for {@code space describe --json} and the API: counts, bounds and the family's own fields. */
  ObjectNode describe();
}
