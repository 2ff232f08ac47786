package io.prenas.catalog;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting, in tests, for a node's catalog version watch to hold a lease (its first heartbeat after start). */
public final class WatchLeases {

  private WatchLeases() {}

  /** Waits up to 10 s until {@code watch} vouches for a version, and fails if it does not. */
  public static void await(CatalogVersionWatch watch) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (watch.version().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(watch.version()).as("the node's catalog version watch has a lease").isPresent();
  }
}
