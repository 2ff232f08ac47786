package io.prenas.vit.space;

import io.prenas.space.SpaceException;

/**
 * Fixed, non-searchable settings of the Vision Transformer: input geometry, classes and the relative-position
 * range. Defaults are the reference's ImageNet settings (224/16, 3 channels, 1000 classes, 14).
 */
public record ModelSettings(int imageSize, int patchSize, int inChans, int numClasses, int maxRelativePosition) {

  public static final ModelSettings IMAGENET = new ModelSettings(224, 16, 3, 1000, 14);

  public ModelSettings {
    if (imageSize <= 0) throw new SpaceException("MODEL.IMAGE_SIZE", "must be positive, got " + imageSize);
    if (patchSize <= 0) throw new SpaceException("MODEL.PATCH_SIZE", "must be positive, got " + patchSize);
    if (imageSize % patchSize != 0) {
      throw new SpaceException("MODEL.IMAGE_SIZE",
          "image size " + imageSize + " is not divisible by the patch size " + patchSize);
    }
    if (inChans <= 0) throw new SpaceException("MODEL.IN_CHANS", "must be positive, got " + inChans);
    if (numClasses <= 0) throw new SpaceException("MODEL.NUM_CLASSES", "must be positive, got " + numClasses);
    if (maxRelativePosition <= 0) {
      throw new SpaceException("MODEL.MAX_RELATIVE_POSITION", "must be positive, got " + maxRelativePosition);
    }
  }

  /** Patches per image side. */
  public int gridSide() {
    return imageSize / patchSize;
  }

  /** Number of patch tokens (the reference's {@code num_patches}, 196 at 224/16). */
  public int numPatches() {
    return gridSide() * gridSide();
  }

  /** Rows of each relative-position table: {@code 2 * max_relative_position + 2} (30 for 14). */
  public int relativeTableRows() {
    return 2 * maxRelativePosition + 2;
  }

  /** Input values per patch of the patch-embedding convolution ({@code in_chans * patch^2}). */
  public int patchInputSize() {
    return inChans * patchSize * patchSize;
  }
}
