package io.prenas.cli;

import io.prenas.training.ProgressListener;
import io.prenas.training.TrainingProgress;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints progress at most every few seconds (and at the end of a phase) as one line. */
final class ConsoleProgress implements ProgressListener {

  private static final long INTERVAL_NANOS = 5_000_000_000L;
  private final PrintWriter out;
  private long last;

  ConsoleProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onProgress(TrainingProgress p) {
    long now = System.nanoTime();
    if (now - last < INTERVAL_NANOS && p.done() < p.total()) {
      return;
    }
    last = now;
    out.println(String.format(Locale.ROOT, "%s %d/%d (%.1f%%) %.1f img/s ETA %s loss %.4f%s %s", p.phase(),
        p.done(), p.total(), p.percent(), p.imagesPerSecond(), eta(p.etaSeconds()), p.loss(),
        p.phase().equals("training") ? String.format(Locale.ROOT, " lr %.2e epoch %d skipped %d", p.learningRate(),
            p.epoch(), p.skippedSteps()) + (Double.isNaN(p.distillationLoss()) ? ""
            : String.format(Locale.ROOT, " distillation loss %.4f", p.distillationLoss())) : "", p.architecture()));
    out.flush();
  }

  @Override
  public void onMessage(String message) {
    out.println(message);
    out.flush();
  }

  private static String eta(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
