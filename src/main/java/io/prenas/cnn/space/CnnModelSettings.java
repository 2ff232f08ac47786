package io.prenas.cnn.space;

/**
 * The fixed, non-searchable settings of a CNN space ({@code MODEL} section, spec §1). None of them changes the
 * parameter count except {@code se} and the class and channel counts; dropout, BN epsilon and momentum are for the
 * supernet and its training.
 */
public record CnnModelSettings(int inChans, int numClasses, Activation activation, boolean se, double dropout,
    double bnEps, double bnMomentum) {

  public static final Activation DEFAULT_ACTIVATION = Activation.SWISH;
  public static final boolean DEFAULT_SE = true;
  public static final double DEFAULT_DROPOUT = 0.0;
  public static final double DEFAULT_BN_EPS = 1e-5;
  public static final double DEFAULT_BN_MOMENTUM = 0.1;
}
