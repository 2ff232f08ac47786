package io.prenas.training;

/** Receives progress while training or evaluating (called on the training thread; keep it cheap). */
@FunctionalInterface
public interface ProgressListener {

  void onProgress(TrainingProgress progress);

  /** A message worth logging (checkpoint written, corrupt images, resumed, ...). */
  default void onMessage(String message) {}

  ProgressListener NONE = p -> {};
}
