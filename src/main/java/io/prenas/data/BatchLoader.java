package io.prenas.data;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns an image source into batches, decoding and transforming the next batches on background threads while the
 * caller computes on the current one (prefetch). The result does not depend on the thread count: each image's
 * augmentation draws from a {@link Random} seeded by (seed, position in the epoch).
 *
 * <p>A corrupt or unreadable image is skipped, counted and reported by path ({@link #corrupt()}); it never stops
 * the epoch silently and never goes unnoticed.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

  private final ImageSource source;
  private final int[] order;
  private final int batchSize;
  private final TransformSpec transform;
  private final long seed;
  private final ExecutorService pool;
  private final Deque<Future<Batch>> pending = new ArrayDeque<>();
  private final List<String> corrupt = Collections.synchronizedList(new ArrayList<>());
  private final int prefetch;
  private int nextStart;

  /**
   * @param order image indices in visiting order (see {@link #shuffled(int, long, int)})
   * @param transform the transform, adapted to the source by {@link TransformSpec#forSource}
   * @param startBatch first batch to produce (to resume mid-epoch)
   */
  public BatchLoader(ImageSource source, int[] order, int batchSize, TransformSpec transform, long seed, int threads,
      int startBatch) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.source = source;
    this.order = order.clone();
    this.batchSize = batchSize;
    this.transform = transform.forSource(source);
    this.seed = seed;
    int workers = Math.max(1, threads);
    this.prefetch = workers + 1;
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "prenas-data");
      t.setDaemon(true);
      return t;
    });
    this.nextStart = Math.min(order.length, startBatch * batchSize);
    fill();
  }

  /** A seeded permutation of {@code 0..n-1} for one epoch (same seed and epoch, same order). */
  public static int[] shuffled(int n, long seed, int epoch) {
    List<Integer> idx = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, new Random(seed * 1_000_003L + epoch));
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Indices {@code 0..n-1} in order (evaluation). */
  public static int[] sequential(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return idx;
  }

  /** Number of batches in a full pass over {@code n} images (the last batch may be smaller). */
  public static int batchesPerEpoch(int n, int batchSize) {
    return (n + batchSize - 1) / batchSize;
  }

  private void fill() {
    while (pending.size() < prefetch && nextStart < order.length) {
      int start = nextStart;
      int end = Math.min(order.length, start + batchSize);
      nextStart = end;
      pending.add(pool.submit(() -> load(start, end)));
    }
  }

  private Batch load(int start, int end) {
    int c = transform.channels();
    int s = transform.size();
    int per = c * s * s;
    float[] x = new float[(end - start) * per];
    long[] y = new long[end - start];
    int n = 0;
    for (int pos = start; pos < end; pos++) {
      int index = order[pos];
      try {
        Image img = source.image(index);
        transform.apply(img, new Random(seed * 0x9E3779B97F4A7C15L + pos), x, n * per);
        y[n++] = source.label(index);
      } catch (IOException | RuntimeException e) {
        corrupt.add(source.describe(index) + ": " + e.getMessage());
      }
    }
    if (n < end - start) {
      x = java.util.Arrays.copyOf(x, n * per);
      y = java.util.Arrays.copyOf(y, n);
    }
    return new Batch(x, y, n, c, s);
  }

  @Override
  public boolean hasNext() {
    return !pending.isEmpty();
  }

  @Override
  public Batch next() {
    Future<Batch> f = pending.poll();
    if (f == null) {
      throw new NoSuchElementException();
    }
    try {
      Batch b = f.get();
      fill();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loading a batch failed: " + e.getCause(), e.getCause());
    }
  }

  /** Images skipped so far because they could not be read, as {@code path: reason}. */
  public List<String> corrupt() {
    synchronized (corrupt) {
      return List.copyOf(corrupt);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
