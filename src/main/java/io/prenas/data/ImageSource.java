package io.prenas.data;

import java.io.IOException;
import java.util.List;

/** A labelled image collection: random access to decoded images and their class indices. */
public interface ImageSource {

  int size();

  /** Class names, index = label. */
  List<String> classNames();

  default int numClasses() {
    return classNames().size();
  }

  int label(int index);

  /** Decodes image {@code index}; a corrupt or unreadable file fails with {@link CorruptImageException}. */
  Image image(int index) throws IOException;

  /**
   * Whether images come in their own sizes (photographs in an ImageFolder) rather than at one fixed size (IDX).
   * Evaluation of such images at an input size of 224 and above follows the reference's preprocessing
   * ({@link TransformSpec#forSource}).
   */
  default boolean nativeSizes() {
    return false;
  }

  /** Where image {@code index} comes from (a file path, or {@code file#index} for IDX), for error reports. */
  String describe(int index);
}
