package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * All weights of a plain ViT in its own shapes (E wide, D blocks). The supernet produces one of these per forward
 * pass by slicing its tensors ({@link SubnetSlicer}); a standalone model holds one ({@link VitModel}). Both then run
 * the same {@link VitForward}, so a subnet and its export compute the same function by construction.
 */
record VitWeights(NDArray patchWeight, NDArray patchBias, NDArray clsToken, NDArray posEmbed,
    List<BlockWeights> blocks, NDArray normWeight, NDArray normBias, NDArray headWeight, NDArray headBias) {

  VitWeights {
    blocks = List.copyOf(blocks);
  }

  int embedDim() {
    return Math.toIntExact(patchWeight.getShape().get(0));
  }
}
