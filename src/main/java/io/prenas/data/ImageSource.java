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

  /** Where image {@code index} comes from (a file path, or {@code file#index} for IDX), for error reports. */
  String describe(int index);
}
