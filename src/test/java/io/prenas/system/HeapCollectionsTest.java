package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.job.JobLifeCycle;
import io.prenas.job.RunningJobs;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The full collections at the server's start and after its jobs ({@code prenas.heap-collection.enabled}). */
class HeapCollectionsTest {

  @Test
  void collectsTheWholeHeapWhenTheServerIsReady() {
    long before = fullCollections();
    HeapCollections collections = new HeapCollections(new HeapCollectionProperties(true), new RunningJobs());

    collections.onReady();

    // System.gc() returns after the collection it asked for (no JVM flag that changes that is set here)
    assertThat(fullCollections()).isGreaterThan(before);
  }

  @Test
  void collectsWhenTheLastRunningJobEnds() {
    AtomicInteger calls = new AtomicInteger();
    RunningJobs jobs = new RunningJobs();
    new HeapCollections(true, jobs, calls::incrementAndGet);

    JobLifeCycle.start(jobs);
    JobLifeCycle.start(jobs);
    JobLifeCycle.end(jobs);
    assertThat(calls).as("another job still runs").hasValue(0);
    JobLifeCycle.end(jobs);
    assertThat(calls).hasValue(1);
    JobLifeCycle.start(jobs);
    JobLifeCycle.end(jobs);
    assertThat(calls).hasValue(2);
    assertThat(jobs.count()).isZero();
  }

  @Test
  void collectsNothingWhenTurnedOff() {
    AtomicInteger calls = new AtomicInteger();
    RunningJobs jobs = new RunningJobs();
    HeapCollections collections = new HeapCollections(false, jobs, calls::incrementAndGet);

    collections.onReady();
    JobLifeCycle.start(jobs);
    JobLifeCycle.end(jobs);

    assertThat(calls).hasValue(0);
  }

  /**
   * Collections so far of the whole heap: G1's "G1 Old Generation" (its full collections), the serial and parallel
   * collectors' mark-sweep ones. Young collections ("G1 Young Generation", "Copy", "PS Scavenge") do not count, so
   * an unrelated young collection during the test cannot pass it.
   */
  private static long fullCollections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(gc -> gc.getName().contains("Old") || gc.getName().contains("MarkSweep"))
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }
}
