package io.prenas.data;

/** Views of image sources. */
public final class ImageSources {

  private ImageSources() {}

  /** The first {@code n} images of a source (all of them when it has fewer). */
  public static ImageSource first(ImageSource source, int n) {
    return new SubsetSource(source, BatchLoader.sequential(Math.min(n, source.size())));
  }
}
