package io.prenas.testing;

/** Search spaces shared by tests across packages. */
public final class TestSpaces {

  private TestSpaces() {}

  /** A micro space (4 blocks, 64 px images, 10 classes): small enough to select and train in a test. */
  public static final String MICRO_YAML = """
      SUPERNET:
        EMBED_DIM: 128
        DEPTH: 4
        NUM_HEADS: 2
        MLP_RATIO: 4.0
      SEARCH_SPACE:
        EMBED_DIM: [96, 128]
        DEPTH: [3, 4]
        NUM_HEADS: [1, 2]
        MLP_RATIO: [3.5, 4.0]
      MODEL:
        IMAGE_SIZE: 64
        PATCH_SIZE: 16
        NUM_CLASSES: 10
      """;
}
