package io.prenas.cnn.selection;

/**
 * The additive value an exact search ranks by, split like the score (spec cnn-space §8, "Additivity"): a stem term
 * per width, a layer term per (stage, slot, c_in, c_out, kernel) and a head + classifier term per (c_L, H), all at one
 * resolution. The SNIP partial sums ({@link CnnSnipTable}) are one such value; a cost ({@link CostValues}) is another,
 * which turns the same search into "the largest architectures of a bin".
 */
interface PartValues {

  int resolution();

  /** Stem term by width index. */
  double stemAt(int c0Index);

  /** Layer term of slot j of stage s: c_in indexes the widths that can enter the stage (j = 0) or its own widths. */
  double layerAt(int s, int j, int cInIndex, int cOutIndex, int kIndex);

  /** Head + classifier term by indices of c_L and H. */
  double headAt(int cLIndex, int hIndex);
}
