package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;

/** Weights of one MLP: fc1 (F, E) and fc2 (E, F) with their biases. */
record MlpWeights(NDArray fc1Weight, NDArray fc1Bias, NDArray fc2Weight, NDArray fc2Bias) {}
