package io.prenas.cnn.selection;

/**
 * One way through a stage from a given input width (spec cnn-space §8, step 2): the width (its index), the depth and
 * one kernel per layer, with the stage's summed cost and its layers' score terms in order.
 *
 * @param cost the binned measure of the stage (FLOPs or params), exact
 * @param layerScores the layers' SNIP terms; a prefix score adds them one by one, as an architecture's score does
 * @param score their sum, for the suffix fronts' bounds
 */
record StageOption(int widthIndex, int depth, int[] kernelIndices, long cost, double[] layerScores, double score) {}
