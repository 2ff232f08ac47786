package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The count of 200 answers the serving port made itself for one {@code uri} tag ({@link ServingContext#TIMER}): how
 * the serving tests tell its own answers from forwarded ones.
 */
record ServingTimer(MeterRegistry meters, String uri) {

  /** The count once no answer is still being written (it has not changed for 100 ms). */
  double settledCount() throws InterruptedException {
    for (double last = -1; ; ) {
      double now = count();
      if (now == last) {
        return now;
      }
      last = now;
      Thread.sleep(100);
    }
  }

  /** The timer counts an answer once its last byte is written, which may be just after the client has read it. */
  void awaitCount(double expected) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (count() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(count()).as(uri).isEqualTo(expected);
  }

  double count() {
    Timer t = meters.find(ServingContext.TIMER).tag("uri", uri).tag("status", "200").timer();
    return t == null ? 0 : t.count();
  }
}
