package io.prenas.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the calling thread while a reader runs (HotSpot's per-thread allocation counter), so that a fuzz
 * property can check that a reader allocates in proportion to its input and not to the sizes the input declares.
 */
public final class AllocationMeter {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AllocationMeter() {}

  /** A reader of one input. */
  @FunctionalInterface
  public interface Reader {
    void read() throws Exception;
  }

  /**
   * Runs {@code reader}, taking an exception of type {@code refusal} as its answer, and returns the bytes it
   * allocated. Any other exception (or error) passes through and fails the property.
   */
  public static long allocatedBy(Reader reader, Class<? extends Exception> refusal) throws Exception {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    try {
      reader.read();
    } catch (Exception e) {
      if (!refusal.isInstance(e)) {
        throw e;
      }
    }
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
