package io.prenas.data;

import java.io.IOException;
import java.util.List;

/** A view of some images of another source (a train/validation split). */
final class SubsetSource implements ImageSource {
  private final ImageSource base;
  private final int[] indices;

  SubsetSource(ImageSource base, int[] indices) {
    this.base = base;
    this.indices = indices.clone();
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public List<String> classNames() {
    return base.classNames();
  }

  @Override
  public int label(int index) {
    return base.label(indices[index]);
  }

  @Override
  public Image image(int index) throws IOException {
    return base.image(indices[index]);
  }

  @Override
  public boolean nativeSizes() {
    return base.nativeSizes();
  }

  @Override
  public String describe(int index) {
    return base.describe(indices[index]);
  }
}
