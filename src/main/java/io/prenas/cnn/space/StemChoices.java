package io.prenas.cnn.space;

import java.util.List;

/** The stem convolution of a CNN space: its width choices (ascending), fixed odd kernel and stride. */
public record StemChoices(List<Integer> widths, int kernel, int stride) {

  public StemChoices {
    widths = List.copyOf(widths);
  }
}
