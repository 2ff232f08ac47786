package io.prenas.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times the training data path on an ImageFolder: decode each image and apply the training transform at
 * {@code size} ({@link TransformSpec#of}{@code (3, size, true)}: bilinear resize to size x size in a zero border of
 * size/8, random crop of size, random flip, ImageNet normalisation), exactly the calls {@link BatchLoader} makes per image, on
 * {@code workers} threads. Decode and transform times are measured per image on the worker threads, so the split
 * holds for any worker count; throughput is images over wall time.
 */
public final class DataLoadBenchmark {

  private DataLoadBenchmark() {}

  /**
   * @param decoder the decoder asked for; {@link #effectiveDecoder} says which ran
   * @param cores the processors the JVM sees
   * @param decodeMsPerImage mean decode time per image (one thread)
   * @param transformMsPerImage mean training-transform time per image (one thread)
   * @param imagesPerSecond images over wall time, all workers
   * @param imagesPerSecondPerWorker {@code imagesPerSecond / workers}
   * @param meanPixels mean decoded width x height
   */
  public record Result(String decoder, String effectiveDecoder, int workers, int cores, int images, int size,
      String transform, double seconds, double imagesPerSecond, double imagesPerSecondPerWorker,
      double decodeMsPerImage, double transformMsPerImage, double meanPixels, int warmupImages, List<String> failed) {}

  public static Result run(Path root, JpegDecoder decoder, int workers, int images, int size, int warmup, long seed)
      throws IOException {
    if (workers <= 0 || images <= 0 || size <= 0 || warmup < 0) {
      throw new IllegalArgumentException("workers, images and size must be positive and warmup non-negative");
    }
    ImageFolderSource source = ImageFolderSource.open(root);
    TransformSpec transform = TransformSpec.of(3, size, true);
    int[] order = BatchLoader.shuffled(source.size(), seed, 0);
    // Warm-up (untimed): the JIT compiles the decode and transform loops; OpenCV loads and initialises.
    pass(source, order, decoder, transform, workers, 0, warmup, seed);
    long start = System.nanoTime();
    Pass timed = pass(source, order, decoder, transform, workers, warmup, images, seed);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = images / seconds;
    return new Result(decoder.cliName(), decoder.effective().cliName(), workers,
        Runtime.getRuntime().availableProcessors(), images, size,
        "decode to RGB; bilinear resize to " + size + "x" + size + " (no antialiasing) inside a zero border of "
            + Math.max(1, size / 8) + "; random crop " + size + "; random horizontal flip; normalise (ImageNet "
            + "mean/std)",
        seconds, rate, rate / workers, timed.decodeNanos / 1e6 / images, timed.transformNanos / 1e6 / images,
        (double) timed.pixels / images, warmup, timed.failed);
  }

  private record Pass(long decodeNanos, long transformNanos, long pixels, List<String> failed) {}

  /** Images {@code first .. first+count-1} of the visiting order (cycled when the folder is smaller). */
  private static Pass pass(ImageFolderSource source, int[] order, JpegDecoder decoder, TransformSpec transform,
      int workers, int first, int count, long seed) throws IOException {
    if (count == 0) {
      return new Pass(0, 0, 0, List.of());
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<Pass>> parts = new ArrayList<>();
      for (int t = 0; t < workers; t++) {
        parts.add(pool.submit(() -> {
          int per = 3 * transform.size() * transform.size();
          float[] out = new float[per];
          long decode = 0;
          long augment = 0;
          long pixels = 0;
          List<String> failed = new ArrayList<>();
          for (int k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
            int pos = first + k;
            int index = order[pos % order.length];
            Path file = source.files().get(index);
            long t0 = System.nanoTime();
            Image img;
            try {
              img = ImageDecoder.decode(file, decoder);
            } catch (CorruptImageException e) {
              failed.add(e.getMessage());
              continue;
            }
            long t1 = System.nanoTime();
            transform.apply(img, new Random(seed * 0x9E3779B97F4A7C15L + pos), out, 0);
            long t2 = System.nanoTime();
            decode += t1 - t0;
            augment += t2 - t1;
            pixels += (long) img.width() * img.height();
          }
          return new Pass(decode, augment, pixels, failed);
        }));
      }
      long decode = 0;
      long augment = 0;
      long pixels = 0;
      List<String> failed = new ArrayList<>();
      for (Future<Pass> f : parts) {
        Pass p = f.get();
        decode += p.decodeNanos;
        augment += p.transformNanos;
        pixels += p.pixels;
        failed.addAll(p.failed);
      }
      return new Pass(decode, augment, pixels, List.copyOf(failed));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark worker failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
