package io.prenas.supernet;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd recording switch for the current thread. PyTorch records graphs by default on every thread except the
 * one that started the engine, so an evaluation pass on a worker thread would silently build (and hold) a graph
 * through the parameters, which require gradients. Evaluation therefore runs inside {@link #disabled()}.
 */
public final class GradMode implements AutoCloseable {

  private final boolean previous;
  private final boolean pytorch;

  private GradMode(boolean enabled) {
    pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
    previous = pytorch && JniUtils.isGradMode();
    if (pytorch) {
      JniUtils.setGradMode(enabled);
    }
  }

  /** Turns recording off until {@link #close()} restores the previous state. */
  public static GradMode disabled() {
    return new GradMode(false);
  }

  @Override
  public void close() {
    if (pytorch) {
      JniUtils.setGradMode(previous);
    }
  }
}
