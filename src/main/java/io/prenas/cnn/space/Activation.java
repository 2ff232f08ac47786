package io.prenas.cnn.space;

import io.prenas.space.SpaceException;
import java.util.Locale;

/** The activation of every stem, expand, depthwise, SE-inner and head layer of a CNN space ({@code MODEL.ACTIVATION}). */
public enum Activation {
  SWISH,
  RELU6;

  /** The YAML spelling ({@code swish}, {@code relu6}). */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Activation parse(String text, String path) {
    for (Activation a : values()) {
      if (a.yamlName().equals(text)) {
        return a;
      }
    }
    throw new SpaceException(path, "must be swish or relu6, got '" + text + "'");
  }
}
