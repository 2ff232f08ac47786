package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.MixedPrecision;
import io.prenas.supernet.Precision;
import io.prenas.supernet.Release;
import io.prenas.supernet.Views;

/**
 * The ViT forward pass of the reference ({@code Vision_TransformerSuper.forward} with {@code gp}, pre-norm,
 * absolute and relative positions): patch convolution, cls token, position embedding, blocks, final LayerNorm,
 * mean over the patch tokens (not the cls token), linear head. Every intermediate array lives in the manager of
 * the input images, i.e. the caller's per-step manager. Under {@link Precision#BF16} the patch convolution, the
 * linear layers and attention's two products run on bfloat16 casts ({@link MixedPrecision}); everything else, the
 * residual stream included, stays float32.
 */
final class VitForward {

  private VitForward() {}

  /**
   * images (B, C, H, W) to logits (B, classes).
   *
   * @param superDepth blocks of the supernet: block i's drop-path rate is {@code linspace(0, rate, superDepth)[i]}
   */
  static NDArray logits(VitWeights w, NDArray images, RelativePosition2D positions, ForwardMode mode,
      int superDepth) {
    long batch = images.getShape().get(0);
    long embed = w.embedDim();
    long patch = w.patchWeight().getShape().get(2);
    Precision p = mode.precision();
    NDArray imagesC = MixedPrecision.compute(images, p);
    NDArray weightC = MixedPrecision.compute(w.patchWeight(), p);
    NDArray biasC = MixedPrecision.compute(w.patchBias(), p);
    NDArray conv = Conv2d.conv2d(imagesC, weightC, biasC, new Shape(patch, patch))
        .singletonOrThrow(); // (B, E, side, side), stride = kernel = patch
    MixedPrecision.release(imagesC, images);
    MixedPrecision.release(weightC, w.patchWeight());
    MixedPrecision.release(biasC, w.patchBias());
    NDArray patches = Release.after(MixedPrecision.master(conv, p), conv);
    patches = patches.reshape(batch, embed, -1).transpose(0, 2, 1); // row-major patch order
    NDArray cls = w.clsToken().broadcast(new Shape(batch, 1, embed));
    NDArray x = cls.concat(patches, 1).add(w.posEmbed());
    try (RelativePosition2D.Lookup lookup = positions.lookup(images.getManager())) {
      for (int i = 0; i < w.blocks().size(); i++) {
        x = Release.after(EncoderBlock.apply(x, w.blocks().get(i), lookup, mode.dropPathRate(i, superDepth),
            mode), x);
      }
    }
    x = Release.after(EncoderBlock.layerNorm(x, w.normWeight(), w.normBias()), x);
    NDArray tokens = Release.after(Views.narrow(x, 1, 1, x.getShape().get(1)), x);
    NDArray pooled = Release.after(tokens.mean(new int[] {1}), tokens);
    return Release.after(MixedPrecision.linearToMaster(pooled, w.headWeight(), w.headBias(), p), pooled);
  }
}
