package io.prenas.training;

import ai.djl.ndarray.NDManager;
import io.prenas.data.Batch;
import io.prenas.data.BatchLoader;
import io.prenas.data.ImageSource;
import io.prenas.data.TransformSpec;
import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;
import io.prenas.supernet.ImageResize;
import io.prenas.supernet.NdConvert;
import io.prenas.supernet.Supernet;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNorm recalibration before evaluation and export (BigNAS): the running statistics a supernet trained over
 * many architectures keeps fit none of them, so each architecture's are re-estimated on a few training batches at
 * its own input size ({@link Supernet#recalibrate}). A family without BatchNorm ({@link Supernet#hasBatchStatistics()}
 * false) is left alone and no images are read.
 *
 * <p>The batches are a seeded draw of training images with the evaluation transform (resize, centre crop,
 * normalisation; no augmentation) at the space's largest input size, resized on the device to each architecture's
 * size as the training steps are. The draw depends only on the data, the seed and the counts, so the evaluation and
 * the export of a job recalibrate on the same images: the published model carries the statistics its accuracy was
 * measured with.
 *
 * @param train the training images (opened only when a supernet has statistics to recalibrate)
 * @param batches how many batches (each architecture's statistics are the equal-weight average over them)
 * @param batchSize images per batch (the last batch may be smaller when the data is small)
 * @param seed seeds the draw
 * @param loaderThreads image-decoding threads
 */
public record Recalibration(TrainImages train, int batches, int batchSize, long seed, int loaderThreads) {

  public Recalibration {
    if (batches < 1 || batchSize < 1) {
      throw new IllegalArgumentException("recalibration needs at least one batch of one image, got " + batches
          + " x " + batchSize);
    }
  }

  /** Where the training images come from; called at most once per draw. */
  @FunctionalInterface
  public interface TrainImages {
    ImageSource open() throws IOException;
  }

  /** The seeded batches, NCHW at the space's largest input size; unreadable images are skipped. */
  public List<Tensor> draw(SearchSpace space) throws IOException {
    ImageSource images = train.open();
    int n = images.size();
    int count = (int) Math.min((long) batches * batchSize, n);
    int[] order = java.util.Arrays.copyOf(BatchLoader.shuffled(n, seed, 0), count);
    List<Tensor> out = new ArrayList<>();
    TransformSpec transform = TransformSpec.evaluation(space.inChannels(), space.imageSize());
    try (BatchLoader loader = new BatchLoader(images, order, batchSize, transform, seed, loaderThreads, 0)) {
      while (loader.hasNext()) {
        Batch b = loader.next();
        if (b.count() > 0) {
          out.add(Tensor.ofFloats(b.shape(), b.x()));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no readable training images for BatchNorm recalibration");
    }
    return out;
  }

  /**
   * Re-estimates {@code arch}'s BatchNorm statistics in {@code net} on {@code batches}, each resized to the
   * architecture's input size first.
   */
  public static void apply(Supernet net, Architecture arch, List<Tensor> batches) {
    int side = net.space().inputSize(arch);
    try (NDManager m = net.parameters().manager().newSubManager()) {
      List<Tensor> sized = new ArrayList<>(batches.size());
      for (Tensor t : batches) {
        sized.add(t.shape()[2] == side && t.shape()[3] == side ? t
            : NdConvert.toTensor(ImageResize.toSide(NdConvert.toNd(m, t), side)));
      }
      net.recalibrate(arch, sized);
    }
  }
}
