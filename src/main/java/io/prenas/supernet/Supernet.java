package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.tensorio.Tensor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weight-sharing supernet of a space, of any model family: one set of named tensors of which every architecture
 * is a slice. The training session, the gradient pass and the evaluator run on this interface; a family builds it
 * through its {@link SupernetFactory}.
 *
 * <p>Implementations slice inside the forward pass and copy no weights (only {@link #pin} does, on request), and are
 * safe for concurrent evaluation.
 */
public interface Supernet extends AutoCloseable {

  SearchSpace space();

  /** The trainable tensors, by name, in the family's canonical (reference) order. */
  ParameterSet parameters();

  /**
   * Logits of one architecture, as arrays of the manager that owns {@code images} (the caller's per-step manager);
   * on the autograd path when the caller records.
   *
   * @param images (B, channels, size, size) at a size the architecture takes
   * @throws io.prenas.space.SpaceException when the architecture does not fit in the supernet
   */
  NDArray forward(Architecture arch, NDArray images, ForwardMode mode);

  /**
   * One architecture's weights as leaf arrays of their own, owned by {@code owner}, for many recorded passes over that
   * architecture ({@link PinnedArchitecture}); empty where the family does not offer it (the caller then runs
   * {@link #forward}).
   *
   * @throws io.prenas.space.SpaceException when the architecture does not fit in the supernet
   */
  default Optional<PinnedArchitecture> pin(Architecture arch, NDManager owner) {
    return Optional.empty();
  }

  /**
   * Evaluation-mode logits of one architecture on plain tensors.
   *
   * @throws IllegalArgumentException when the images have the wrong shape
   */
  Tensor logits(Architecture arch, Tensor images);

  /**
   * Whether {@link #forward} computes in {@code precision} ({@link ForwardMode#precision()}); a family without mixed
   * precision computes float32 only.
   */
  default boolean supports(Precision precision) {
    return precision == Precision.FP32 || space().supportsBf16();
  }

  /** Names of tensors that get no weight decay besides biases and vectors (timm's {@code no_weight_decay()}). */
  Set<String> noWeightDecay();

  /**
   * Copies of all tensors (float32, canonical names and order): the parameters and, for a family with BatchNorm,
   * its running statistics (buffers: saved and restored with the weights, never trained, not in
   * {@link #parameters()}).
   */
  default Map<String, Tensor> weights() {
    return parameters().toTensors();
  }

  /** True when the supernet keeps BatchNorm running statistics that {@link #recalibrate} resets and re-estimates. */
  default boolean hasBatchStatistics() {
    return false;
  }

  /**
   * Re-estimates the BatchNorm statistics one architecture uses from batches of images at its input size, as a
   * cumulative average over the batches with equal weights (BigNAS's evaluation step; the statistics shared by all
   * architectures fit none of them). Changes only the statistics that architecture reads; evaluate or export it
   * afterwards. Not safe concurrently with other passes over the same architecture.
   *
   * @throws UnsupportedOperationException when the family has no BatchNorm ({@link #hasBatchStatistics()} false)
   * @throws IllegalArgumentException when a batch has the wrong shape, or there is none
   */
  default void recalibrate(Architecture arch, java.util.List<Tensor> batches) {
    throw new UnsupportedOperationException("the " + space().family() + " supernet of space " + space().name()
        + " has no BatchNorm statistics to recalibrate");
  }

  /** The device the weights live on, e.g. {@code cpu()}. */
  default String device() {
    return parameters().device().toString();
  }

  @Override
  void close();

  /**
   * Checks that images are a batch of the space's input: (B, channels, size, size).
   *
   * @throws IllegalArgumentException naming the expected shape
   */
  static void checkImages(SearchSpace space, Tensor images) {
    checkImages(space.inChannels(), space.imageSize(), images);
  }

  /**
   * Checks that images are a batch of {@code channels} x {@code size} x {@code size} images (a supernet's input, or a
   * standalone model's).
   *
   * @throws IllegalArgumentException naming the expected shape
   */
  static void checkImages(int channels, int size, Tensor images) {
    long[] s = images.shape();
    if (s.length != 4 || s[0] < 1 || s[1] != channels || s[2] != size || s[3] != size) {
      throw new IllegalArgumentException("images have shape " + java.util.Arrays.toString(s) + ", expected [B, "
          + channels + ", " + size + ", " + size + "]");
    }
  }
}
