package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;

/**
 * Weights of one attention layer in the shapes a plain (non-super) layer uses: {@code qkvWeight} is (3q, E) with
 * rows in [q; k; v] blocks, q = 64 * heads; the four relative-position tables are (2 * maxRel + 2, 64);
 * {@code projWeight} is (E, q).
 */
record AttentionWeights(int heads, NDArray qkvWeight, NDArray qkvBias, NDArray relKTableV, NDArray relKTableH,
    NDArray relVTableV, NDArray relVTableH, NDArray projWeight, NDArray projBias) {}
