package io.prenas.system;

import io.prenas.job.RunningJobs;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A full collection of the JVM heap once the server has started (before it reports itself ready for traffic), and
 * again each time the jobs this node runs have all ended.
 *
 * <p>Why: the server's start (Spring's context, Hibernate's metamodel, JobRunr) and the jobs it runs leave objects
 * that live as long as the process (with a collection at start-up only, the young pauses after the demo's job were
 * still 15 ms; with one after the job as well, 3-7 ms). G1 keeps a young object in its survivor space until it has
 * survived up to 15 young collections, so every young collection after a start copied those objects again, about
 * 15 MB: pauses of 19-43 ms, one every 45-110 s at 1,000 budget lookups/s, for the first quarter of an hour of a
 * fresh server, each one stalling every lookup in flight. A full collection moves every live object into the old
 * generation at once; the young collections after it copy only what requests leave behind, and paused 3-7 ms on the
 * same machine (docs/bench/serving.md, thirteenth stop). Each full collection took 0.08-0.19 s there: at start-up
 * it is paid while Spring Boot's readiness state still refuses traffic (it publishes
 * {@code ReadinessState.ACCEPTING_TRAFFIC} after the {@link ApplicationReadyEvent} listeners have run); after a job,
 * on a node that runs jobs (roles {@code worker} and {@code all}; the chart serves lookups from role {@code api}
 * nodes, which run none), once per job, instead of a dozen young pauses of 19-43 ms.
 *
 * <p>{@code prenas.heap-collection.enabled=false} turns both off; so does the JVM flag {@code -XX:+DisableExplicitGC}
 * ({@code -XX:+ExplicitGCInvokesConcurrent} makes them concurrent cycles, which tenure nothing).
 */
@Component
class HeapCollections {

  private static final Logger LOG = LoggerFactory.getLogger(HeapCollections.class);

  private final boolean enabled;
  private final Runnable collector;

  @Autowired
  HeapCollections(HeapCollectionProperties properties, RunningJobs jobs) {
    this(properties.enabled(), jobs, System::gc);
  }

  HeapCollections(boolean enabled, RunningJobs jobs, Runnable collector) {
    this.enabled = enabled;
    this.collector = collector;
    if (enabled) {
      jobs.whenIdle(() -> collect("the jobs of this node ended"));
    }
  }

  /** After every other ready listener (the demo's seeding submits its job first). */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.LOWEST_PRECEDENCE)
  void onReady() {
    if (enabled) {
      collect("the server started");
    }
  }

  private void collect(String why) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = memory.getHeapMemoryUsage().getUsed();
    long started = System.nanoTime();
    collector.run();
    long millis = (System.nanoTime() - started) / 1_000_000;
    long after = memory.getHeapMemoryUsage().getUsed();
    LOG.info("heap collected in {} ms, {} ({} MB -> {} MB in use; prenas.heap-collection.enabled=false turns this "
        + "off)", millis, why, before >> 20, after >> 20);
  }
}
