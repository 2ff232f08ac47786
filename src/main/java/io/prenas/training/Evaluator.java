package io.prenas.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prenas.data.Batch;
import io.prenas.data.BatchLoader;
import io.prenas.data.ImageSource;
import io.prenas.data.TransformSpec;
import io.prenas.fileio.AtomicFiles;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.Precision;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Measures every preferred architecture on validation data with the trained supernet weights, as sliced (spec
 * 5.3: no fine-tuning): top-1, top-5 and mean cross-entropy, written to a results file. Each architecture sees the
 * images at its own input size (the loader serves the largest, the session resizes). A family with BatchNorm has
 * each architecture's statistics recalibrated on training images first when a {@link Recalibration} is given
 * (without one it is measured with the supernet's running statistics, and says so); a ViT has none to recalibrate.
 */
public final class Evaluator {

  /** One architecture's measurement (accuracies in percent, as the reference reports them). */
  public record Measurement(int index, String bin, String id, com.fasterxml.jackson.databind.JsonNode config, long params, double flops,
      double acc1, double acc5, double loss, long images) {}

  private final SearchSpace space;
  private final int batchSize;
  private final int loaderThreads;
  private Precision precision = Precision.FP32;

  /** Measures in {@code precision} (FP32 unless set); returns this evaluator. */
  public Evaluator withPrecision(Precision precision) {
    this.precision = java.util.Objects.requireNonNull(precision, "precision");
    return this;
  }

  public Evaluator(SearchSpace space, int batchSize, int loaderThreads) {
    this.space = space;
    this.batchSize = batchSize;
    this.loaderThreads = loaderThreads;
  }

  public List<Measurement> evaluate(Map<String, Tensor> weights, List<ArchitectureEntry> archs, ImageSource data,
      ProgressListener listener, BooleanSupplier cancelled) throws IOException {
    return evaluate(weights, archs, data, null, listener, cancelled);
  }

  /** {@link #evaluate}, recalibrating BatchNorm statistics per architecture on {@code recalibration}'s images. */
  public List<Measurement> evaluate(Map<String, Tensor> weights, List<ArchitectureEntry> archs, ImageSource data,
      Recalibration recalibration, ProgressListener listener, BooleanSupplier cancelled) throws IOException {
    archs.forEach(a -> space.validate(a.architecture()));
    TransformSpec transform = TransformSpec.evaluation(space.inChannels(), space.imageSize());
    List<Measurement> out = new ArrayList<>();
    long total = (long) data.size() * archs.size();
    long done = 0;
    long started = System.nanoTime();
    TrainingSession.Settings settings = new TrainingSession.Settings(0, 0, 0, null, precision);
    try (TrainingSession session = TrainingSession.open(space, weights, null, 0, 0, settings)) {
      List<Tensor> recalibrationBatches = null;
      if (session.supernet().hasBatchStatistics()) {
        if (recalibration != null) {
          recalibrationBatches = recalibration.draw(space);
          listener.onMessage("BatchNorm statistics recalibrated per architecture on " + recalibrationBatches.size()
              + " batches of training images");
        } else {
          listener.onMessage("BatchNorm statistics not recalibrated: measured with the supernet's running ones");
        }
      }
      for (ArchitectureEntry entry : archs) {
        if (recalibrationBatches != null) {
          Recalibration.apply(session.supernet(), entry.architecture(), recalibrationBatches);
        }
        double lossSum = 0;
        long top1 = 0;
        long top5 = 0;
        long n = 0;
        try (BatchLoader loader = new BatchLoader(data, BatchLoader.sequential(data.size()), batchSize, transform, 0,
            loaderThreads, 0)) {
          while (loader.hasNext()) {
            if (cancelled.getAsBoolean()) {
              throw new java.util.concurrent.CancellationException("evaluation cancelled");
            }
            Batch b = loader.next();
            if (b.count() == 0) {
              continue;
            }
            TrainingSession.EvalResult r = session.evaluate(entry.architecture(), b.x(), b.shape(), b.y());
            lossSum += r.lossSum();
            top1 += r.top1();
            top5 += r.top5();
            n += r.count();
            done += b.count();
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = done / Math.max(seconds, 1e-9);
            listener.onProgress(new TrainingProgress("evaluation", 0, done, total, rate, (total - done) / rate,
                lossSum / n, 0, SkippedSteps.none(), entry.architecture().id()));
          }
          if (!loader.corrupt().isEmpty()) {
            listener.onMessage(loader.corrupt().size() + " unreadable validation images skipped, first: "
                + loader.corrupt().get(0));
          }
        }
        if (n == 0) {
          throw new IOException("no readable validation images");
        }
        out.add(new Measurement(entry.index(), entry.binKey(), entry.architecture().id(),
            space.writeArchitecture(entry.architecture()), space.params(entry.architecture()),
            space.flops(entry.architecture()), 100.0 * top1 / n, 100.0 * top5 / n, lossSum / n,
            n));
      }
    }
    return out;
  }

  /** Writes measurements as a JSON array, atomically. */
  public static void write(Path file, List<Measurement> results) throws IOException {
    AtomicFiles.write(file, AtomicFiles.Sync.NONE,
        out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, results));
  }

  /** Reads a results file written by {@link #write}. */
  public static List<Measurement> read(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return json.readValue(file.toFile(),
        json.getTypeFactory().constructCollectionType(List.class, Measurement.class));
  }
}
