package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.prenas.data.CorruptImageException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures are retried: only causes that pass; out of memory (its own class) and bad input fail once. */
class JobFailureTest {

  private static final Path STORAGE = Path.of("/tmp/prenas-job-failure-test-storage");

  @Test
  void theDatabaseAwayIsTransient() {
    assertThat(classOf(new CannotGetJdbcConnectionException("pool", new SQLTransientConnectionException("timeout"))))
        .isEqualTo(FailureClass.TRANSIENT);
    assertThat(classOf(new CannotCreateTransactionException("no connection"))).isEqualTo(FailureClass.TRANSIENT);
    assertThat(classOf(new RuntimeException("wrapped", new SQLException("connection refused", "08001"))))
        .isEqualTo(FailureClass.TRANSIENT);
    assertThat(classOf(new SQLException("terminating connection due to administrator command", "57P01")))
        .isEqualTo(FailureClass.TRANSIENT);
  }

  @Test
  void aStoppedWorkerAndStorageAwayForAMomentAreTransient() {
    assertThat(classOf(new InterruptedException())).isEqualTo(FailureClass.TRANSIENT);
    assertThat(classOf(new FileSystemException("/mnt/data/x", null, "Stale file handle")))
        .isEqualTo(FailureClass.TRANSIENT);
  }

  @Test
  void invalidInputCorruptFilesAndBugsAreDeterministic() {
    JobFailure invalid = JobFailure.of(new JobFailedException("options.dataPath: no folder"), STORAGE);
    assertThat(invalid).isEqualTo(new JobFailure(FailureClass.DETERMINISTIC, "options.dataPath: no folder"));
    assertThat(classOf(new CorruptImageException("/data/a/0.png", "not a readable image")))
        .isEqualTo(FailureClass.DETERMINISTIC);
    assertThat(classOf(new IOException("unexpected end of IDX file"))).isEqualTo(FailureClass.DETERMINISTIC);
    assertThat(classOf(new SQLException("duplicate key", "23505"))).isEqualTo(FailureClass.DETERMINISTIC);
    assertThat(classOf(new DataIntegrityViolationException("fk"))).isEqualTo(FailureClass.DETERMINISTIC);
    assertThat(classOf(new NullPointerException())).isEqualTo(FailureClass.DETERMINISTIC);
  }

  @Test
  void javaHeapExhaustionIsOutOfMemoryForTheJobsSize() {
    JobFailure failure = JobFailure.of(new OutOfMemoryError("Java heap space"), STORAGE);
    assertThat(failure.failureClass()).isEqualTo(FailureClass.OUT_OF_MEMORY);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.reason()).startsWith("out of memory (Java heap) at this job's size: Java heap space");
  }

  /** A real refused native allocation: what DJL throws when libtorch's allocator cannot serve a tensor. */
  @Test
  void theEnginesNativeAllocationFailureIsOutOfMemory() {
    Throwable engine;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // 2^50 floats (4 PiB): no machine has it, and libtorch's CPU allocator refuses at once.
      engine = catchThrowable(() -> manager.zeros(new Shape(1L << 25, 1L << 25)));
    }
    assertThat(engine).as("libtorch refused the allocation").isNotNull();
    JobFailure failure = JobFailure.of(new IllegalStateException("training step failed", engine), STORAGE);
    assertThat(failure.failureClass()).as(String.valueOf(engine)).isEqualTo(FailureClass.OUT_OF_MEMORY);
    assertThat(failure.reason()).as(String.valueOf(engine)).startsWith("out of memory in the engine (native)");
  }

  private static FailureClass classOf(Throwable t) {
    return JobFailure.of(t, STORAGE).failureClass();
  }
}
