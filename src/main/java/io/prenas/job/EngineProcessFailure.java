package io.prenas.job;

/**
 * A job attempt whose engine work ran in a process of its own and failed there, already classified: by the engine
 * process itself ({@link JobFailure} of what it caught, sent back with its reason) or, when the process died without
 * a word (killed by the kernel, a native abort, the JVM's exit on heap exhaustion), by how it died.
 */
public class EngineProcessFailure extends RuntimeException {

  private final FailureClass failureClass;

  public EngineProcessFailure(FailureClass failureClass, String reason) {
    super(reason);
    this.failureClass = failureClass;
  }

  public FailureClass failureClass() {
    return failureClass;
  }

  /**
   * How the engine process classifies what it caught (the same rules as a job run in the worker's own JVM), so the
   * worker can rebuild it with {@link #EngineProcessFailure}.
   *
   * @param storageDir the artifact directory (a full disk there is named as such)
   * @return the class and the reason
   */
  public static Classified classify(Throwable failure, java.nio.file.Path storageDir) {
    if (failure instanceof JobCancelledException) {
      return new Classified(null, "cancelled on request");
    }
    JobFailure f = JobFailure.of(failure, storageDir);
    return new Classified(f.failureClass(), f.reason());
  }

  /** A failure class ({@code null} for a cancellation) and its reason. */
  public record Classified(FailureClass failureClass, String reason) {}
}
