package io.prenas.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The jobs this JVM runs right now, and what is to be done each time the last of them ends. */
@Component
public class RunningJobs {

  private static final Logger LOG = LoggerFactory.getLogger(RunningJobs.class);

  private final AtomicInteger running = new AtomicInteger();
  private final List<Runnable> idleListeners = new CopyOnWriteArrayList<>();

  /** How many jobs run in this JVM now. */
  public int count() {
    return running.get();
  }

  /**
   * Runs {@code listener} each time a job ends in this JVM and no other job runs in it, on the thread of the job that
   * ended (after its row says how it ended).
   */
  public void whenIdle(Runnable listener) {
    idleListeners.add(listener);
  }

  void started() {
    running.incrementAndGet();
  }

  void ended() {
    if (running.decrementAndGet() > 0) {
      return;
    }
    for (Runnable listener : idleListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("a listener for the end of the running jobs failed: {}", e.toString());
      }
    }
  }
}
