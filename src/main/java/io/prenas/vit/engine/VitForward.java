package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.Release;

/**
 * The ViT forward pass of the reference ({@code Vision_TransformerSuper.forward} with {@code gp}, pre-norm,
 * absolute and relative positions): patch convolution, cls token, position embedding, blocks, final LayerNorm,
 * mean over the patch tokens (not the cls token), linear head. Every intermediate array lives in the manager of
 * the input images, i.e. the caller's per-step manager.
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
    NDArray patches = Conv2d.conv2d(images, w.patchWeight(), w.patchBias(), new Shape(patch, patch))
        .singletonOrThrow(); // (B, E, side, side), stride = kernel = patch
    patches = patches.reshape(batch, embed, -1).transpose(0, 2, 1); // row-major patch order
    NDArray cls = w.clsToken().broadcast(new Shape(batch, 1, embed));
    NDArray x = cls.concat(patches, 1).add(w.posEmbed());
    for (int i = 0; i < w.blocks().size(); i++) {
      x = Release.after(EncoderBlock.apply(x, w.blocks().get(i), positions, mode.dropPathRate(i, superDepth),
          mode), x);
    }
    x = Release.after(EncoderBlock.layerNorm(x, w.normWeight(), w.normBias()), x);
    NDArray tokens = Release.after(x.get(new NDIndex(":, 1:, :")), x);
    NDArray pooled = Release.after(tokens.mean(new int[] {1}), tokens);
    return Release.after(Linear.linear(pooled, w.headWeight(), w.headBias()).singletonOrThrow(), pooled);
  }
}
