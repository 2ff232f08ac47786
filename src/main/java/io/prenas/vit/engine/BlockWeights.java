package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;

/** Weights of one pre-norm encoder block: LayerNorm, attention, LayerNorm, MLP. */
record BlockWeights(NDArray ln1Weight, NDArray ln1Bias, AttentionWeights attention, NDArray ln2Weight,
    NDArray ln2Bias, MlpWeights mlp) {}
