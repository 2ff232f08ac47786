package io.prenas.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client: {@code burst} tokens, refilled at {@code perMinute} a minute, one taken per write.
 * Thread-safe. The map is bounded: past {@value #MAX_CLIENTS} clients, buckets that have refilled completely (they
 * would start full anyway) are dropped.
 */
final class WriteRateLimiter {

  static final int MAX_CLIENTS = 10_000;

  private final double tokensPerNano;
  private final int burst;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  WriteRateLimiter(int perMinute, int burst, LongSupplier nanoClock) {
    this.tokensPerNano = perMinute / 60e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /**
   * Takes one token of the client's bucket.
   *
   * @return 0 when the write may go ahead, else the whole seconds until a token is there (for Retry-After)
   */
  long acquire(String client) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > MAX_CLIENTS) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now);
  }

  /** Clients with a bucket now (tests). */
  int clients() {
    return buckets.size();
  }

  private final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - at) * tokensPerNano);
      at = now;
    }
  }
}
