package io.prenas.job;

import io.prenas.storage.StorageFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Why a job attempt failed, and whether another attempt could do better. Only causes that pass are
 * {@link FailureClass#TRANSIENT}: the database away (connection refused or lost, a pool timeout, a server shutting
 * down, a serialization conflict), the worker being stopped (interrupted), storage briefly unavailable (a stale
 * network-filesystem handle, an I/O timeout). Everything else is {@link FailureClass#DETERMINISTIC}, because running
 * the same options on the same data again gives the same result: {@link JobFailedException} (invalid options or data
 * found at run time), a corrupt or unreadable file, a full or read-only disk ({@link StorageFailure}), a bug. Out of
 * memory, Java heap ({@link OutOfMemoryError}) or native (the engine's allocator refusing, which DJL reports as an
 * {@code EngineException} with libtorch's message), is {@link FailureClass#OUT_OF_MEMORY}, never retried either: the
 * job's size does not change between attempts. A failure of a job's engine process
 * ({@link EngineProcessFailure}) was classified there, or by how the process died.
 *
 * @param failureClass whether to retry
 * @param reason the row's failure reason
 */
record JobFailure(FailureClass failureClass, String reason) {

  /** SQLSTATE classes of a database that is away or busy, not of a wrong statement (PostgreSQL appendix A). */
  private static final List<String> TRANSIENT_SQL_STATES = List.of("08", "53", "57P", "40001", "40P01");

  /** libtorch's and the C++ runtime's words for a failed native allocation (CPU and CUDA allocators). */
  private static final List<String> NATIVE_OUT_OF_MEMORY = List.of("out of memory", "can't allocate memory",
      "not enough memory", "cannot allocate memory", "std::bad_alloc", "failed to allocate");

  /** errno texts of storage that is away for a moment (a network filesystem, a busy device). */
  private static final List<String> TRANSIENT_IO = List.of("stale file handle", "transport endpoint is not connected",
      "resource temporarily unavailable", "connection timed out", "host is down", "device or resource busy");

  /**
   * Classifies a failed attempt.
   *
   * @param storageDir the artifact directory, whose disk-full and read-only failures are named as such
   */
  static JobFailure of(Throwable failure, Path storageDir) {
    if (failure instanceof EngineProcessFailure f) {
      return new JobFailure(f.failureClass(), f.getMessage()); // classified where it happened (the engine process)
    }
    if (failure instanceof JobFailedException) {
      return new JobFailure(FailureClass.DETERMINISTIC, failure.getMessage());
    }
    Optional<String> storage = StorageFailure.describe(failure, storageDir);
    if (storage.isPresent()) {
      return new JobFailure(FailureClass.DETERMINISTIC, storage.get()); // a retry would hit the same wall
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return new JobFailure(FailureClass.OUT_OF_MEMORY, "out of memory (Java heap) at this job's size: "
            + t.getMessage() + "; a smaller batchSize, or a worker with a larger heap (-Xmx), may fit");
      }
      if (nativeOutOfMemory(t)) {
        return new JobFailure(FailureClass.OUT_OF_MEMORY, "out of memory in the engine (native) at this job's size: "
            + firstLine(t.getMessage()) + "; a smaller batchSize, or a worker with more memory, may fit");
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (transientCause(t)) {
        return new JobFailure(FailureClass.TRANSIENT, describe(failure));
      }
    }
    return new JobFailure(FailureClass.DETERMINISTIC, describe(failure));
  }

  boolean retryable() {
    return failureClass == FailureClass.TRANSIENT;
  }

  private static boolean nativeOutOfMemory(Throwable t) {
    if (!(t instanceof RuntimeException) || t.getMessage() == null) {
      return false;
    }
    String message = t.getMessage().toLowerCase(Locale.ROOT);
    return NATIVE_OUT_OF_MEMORY.stream().anyMatch(message::contains);
  }

  private static boolean transientCause(Throwable t) {
    if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
        || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
        || t instanceof SQLTransientException || t instanceof SQLRecoverableException
        || t instanceof SQLNonTransientConnectionException
        || t instanceof ConnectException || t instanceof SocketTimeoutException
        || t instanceof InterruptedException || t instanceof InterruptedIOException
        || t instanceof ClosedByInterruptException) {
      return true;
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null) {
      return TRANSIENT_SQL_STATES.stream().anyMatch(sql.getSQLState()::startsWith);
    }
    if (t instanceof IOException && t.getMessage() != null) {
      String message = t.getMessage().toLowerCase(Locale.ROOT);
      return TRANSIENT_IO.stream().anyMatch(message::contains);
    }
    return false;
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
