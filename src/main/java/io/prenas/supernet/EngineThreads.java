package io.prenas.supernet;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Intra-op thread count of the PyTorch engine ({@code torch.set_num_threads}). DJL reads
 * {@code ai.djl.pytorch.num_threads} once, when the engine starts; after that only
 * {@link JniUtils#setNumThreads} changes it, so both are used.
 */
final class EngineThreads {

  static final String PROPERTY = "ai.djl.pytorch.num_threads";

  private EngineThreads() {}

  /** Sets the intra-op threads of the whole process (the engine is started if needed). */
  static void set(int threads) {
    System.setProperty(PROPERTY, Integer.toString(threads));
    Engine.getInstance(); // starts the engine, which applies the property on first start
    JniUtils.setNumThreads(threads);
  }

  static int get() {
    Engine.getInstance();
    return JniUtils.getNumThreads();
  }
}
