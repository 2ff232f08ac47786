package io.prenas.supernet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one place that records gradients. The engine allows a single open {@link GradientCollector} per JVM, so
 * every backward pass goes through {@link #backward} under one lock; concurrent callers queue instead of failing.
 */
public final class Autograd {

  private static final ReentrantLock LOCK = new ReentrantLock();

  /**
   * Runs between every recorded forward and its backward. A test seam: {@code FreedScalarOperandTest} forces a
   * garbage collection and churns freed memory there, where a Java-owned operand that autograd still needs would
   * be lost.
   */
  private static volatile Runnable betweenForwardAndBackward = () -> {};

  private Autograd() {}

  /** Result of one recorded pass: the loss array (in the step manager) and the phase times. */
  record Pass(NDArray loss, long forwardNanos, long backwardNanos) {}

  /**
   * Zeroes the gradients of {@code parameters}, records {@code forward} (which must return a scalar loss made in
   * the step manager) and back-propagates it. Gradients are then read with {@link #gradient}.
   */
  public static Pass backward(Collection<NDArray> parameters, Supplier<NDArray> forward) {
    return backward(parameters, forward, true);
  }

  /**
   * As {@link #backward(Collection, Supplier)}; with {@code zeroFirst} false the new gradients are added to the
   * existing ones (micro-batches of one large batch).
   */
  public static Pass backward(Collection<NDArray> parameters, Supplier<NDArray> forward, boolean zeroFirst) {
    LOCK.lock();
    try {
      if (zeroFirst) {
        zeroGradients(parameters);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        long t0 = System.nanoTime();
        NDArray loss = forward.get();
        loss.getFloat(); // wait for the forward computation so that the phase times are honest on a GPU too
        long t1 = System.nanoTime();
        betweenForwardAndBackward.run();
        collector.backward(loss);
        long t2 = System.nanoTime();
        return new Pass(loss, t1 - t0, t2 - t1);
      }
    } finally {
      LOCK.unlock();
    }
  }

  /** Runs {@code body} with {@code hook} called between each forward and backward it records (tests only). */
  public static <T> T withHookBetweenForwardAndBackward(Runnable hook, Supplier<T> body) {
    Runnable previous = betweenForwardAndBackward;
    betweenForwardAndBackward = hook;
    try {
      return body.get();
    } finally {
      betweenForwardAndBackward = previous;
    }
  }

  /** The accumulated gradient of a parameter as an array owned by {@code step} (all zeros if it got none). */
  public static NDArray gradient(NDArray parameter, NDManager step) {
    NDArray grad = parameter.getGradient();
    grad.attach(step); // the handle would otherwise live as long as the parameter's manager
    return grad;
  }

  private static void zeroGradients(Collection<NDArray> parameters) {
    for (NDArray p : parameters) {
      // zero_() on the gradient buffer: unlike grad - grad or grad * 0 it also clears NaN/Inf left by a skipped
      // step with a non-finite loss.
      ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
    }
  }
}
