package io.prenas.cli;

import io.prenas.data.DataSplit;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureEntry;
import io.prenas.space.ArchitectureJson;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.supernet.Precision;
import io.prenas.tensorio.Tensor;
import io.prenas.training.Checkpoint;
import io.prenas.training.Distillation;
import io.prenas.training.MixupCutmix;
import io.prenas.training.PreferredTrainer;
import io.prenas.training.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code train}: preferred one-shot training of the supernet on the architectures of a preferred file (spec 5).
 * Writes {@code <out>/checkpoint.safetensors} (weights + optimiser state, resumable) periodically, at the end and
 * on Ctrl-C, and {@code <out>/supernet.safetensors} (weights only, reference layout) at the end.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the supernet on the preferred architectures (one architecture per step).")
final class TrainCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  DataOptions dataOptions;

  @Option(names = "--space", required = true, paramLabel = "<space|file>", description = "Built-in space or YAML file.")
  String space;

  @Option(names = "--preferred", required = true, paramLabel = "<preferred.json>",
      description = "Preferred architectures (select output or a reference file, or a JSON array of configs).")
  Path preferred;

  @Option(names = "--epochs", required = true, description = "Epochs.")
  int epochs;

  @Option(names = "--batch", required = true, description = "Batch size.")
  int batch;

  @Option(names = "--sampler", defaultValue = "balanced",
      description = "balanced (PreNAS), uniform, or redundant (whole space, AutoFormer). Default ${DEFAULT-VALUE}.")
  String sampler;

  @Option(names = "--resume", paramLabel = "<checkpoint>", description = "Continue from a checkpoint.")
  Path resume;

  @Option(names = "--weights", paramLabel = "<supernet.safetensors>",
      description = "Start from these supernet weights (fine-tuning an imported supernet).")
  Path weights;

  @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Output folder.")
  Path out;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (init, sampling, data order). Default 0.")
  long seed;

  @Option(names = "--lr", defaultValue = "5e-4", description = "Learning rate per 512 images (scaled by batch/512).")
  double lr;

  @Option(names = "--warmup-epochs", defaultValue = "-1", description = "Warm-up epochs (default: epochs/10, max 5).")
  double warmupEpochs;

  @Option(names = "--min-lr", defaultValue = "1e-5", description = "Final learning rate of the cosine.")
  double minLr;

  @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay.")
  double weightDecay;

  @Option(names = "--drop-path", defaultValue = "0.1", description = "Drop-path rate of the deepest block.")
  double dropPath;

  @Option(names = "--smoothing", defaultValue = "0.1", description = "Label smoothing.")
  double smoothing;

  @Option(names = "--mixup", defaultValue = "0", description = "Mixup alpha (0 = off; reference 0.8).")
  double mixup;

  @Option(names = "--cutmix", defaultValue = "0", description = "CutMix alpha (0 = off; reference 1.0).")
  double cutmix;

  @Option(names = "--clip-grad", defaultValue = "0", description = "Clip the global gradient norm (0 = off).")
  double clipGrad;

  @Option(names = "--no-flip", description = "Disable random horizontal flips.")
  boolean noFlip;

  @Option(names = "--checkpoint-every", defaultValue = "500", description = "Checkpoint interval in steps.")
  int checkpointEvery;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the forward passes: fp32, or bf16 (mixed precision: float32 weights and"
          + " optimiser, bfloat16 matrix products; ViT spaces; default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--device", description = "cpu, gpu0, ... (default: the engine's default device).")
  String device;

  @Option(names = "--distill", description = "BigNAS in-place distillation: the largest preferred architecture (by "
      + "FLOPs) learns from the labels and teaches the sampled one with its soft labels, each step.")
  boolean distill;

  @Option(names = "--distill-temperature", defaultValue = "1", paramLabel = "<T>",
      description = "Softmax temperature of --distill (student loss scaled by T^2). Default ${DEFAULT-VALUE}, as BigNAS.")
  double distillTemperature;

  @Override
  public void run() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      SearchSpace s = SearchSpaces.resolve(space);
      List<Architecture> archs = ArchitectureJson.read(preferred, s).stream().map(ArchitectureEntry::architecture)
          .toList();
      if (archs.isEmpty()) {
        throw new CliException(preferred + " holds no architectures");
      }
      for (int i = 0; i < archs.size(); i++) {
        try {
          s.validate(archs.get(i));
        } catch (IllegalArgumentException e) {
          throw new CliException("architecture #" + i + " of " + preferred + " is outside space " + s.name() + ": "
              + e.getMessage(), e);
        }
      }
      if (!distill && spec.commandLine().getParseResult().hasMatchedOption("--distill-temperature")) {
        throw new CliException("--distill-temperature needs --distill");
      }
      TrainingConfig config = config();
      DataSplit split = dataOptions.open(seed);
      err.println("data: " + split.description() + ": " + split.train().size() + " training, "
          + split.validation().size() + " validation images, " + split.train().numClasses() + " classes");
      Checkpoint from = resume == null ? null : Checkpoint.read(resume);
      Map<String, Tensor> init = weights == null ? null : Checkpoint.readWeights(weights);
      PreferredTrainer trainer = new PreferredTrainer(s, archs, config);
      AtomicBoolean cancel = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        cancel.set(true); // Ctrl-C: stop before the next step and write a checkpoint
        try {
          finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "prenas-train-cancel");
      Runtime.getRuntime().addShutdownHook(hook);
      PreferredTrainer.Result r;
      try {
        r = trainer.train(split, out, init, from, new ConsoleProgress(err), cancel::get);
      } finally {
        finished.countDown();
      }
      if (!r.cancelled()) {
        Runtime.getRuntime().removeShutdownHook(hook); // the trainer wrote supernet.safetensors
      }
      String perArchitecture = r.skipped().byArchitecture().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
      String distilled = config.distillation().enabled() ? ", distilled in place from "
          + Distillation.teacher(s, archs).id() + " at temperature " + config.distillation().temperature() : "";
      spec.commandLine().getOut().printf("%s after %d of %d steps (%d skipped for a non-finite loss or gradient%s%s);"
          + " checkpoint %s%n", r.cancelled() ? "cancelled" : "finished", r.globalStep(), r.totalSteps(),
          r.skippedSteps(), perArchitecture.isEmpty() ? "" : ": " + perArchitecture, distilled, r.checkpoint());
      if (!r.corruptImages().isEmpty()) {
        err.println(r.corruptImages().size() + " unreadable images were skipped:");
        r.corruptImages().stream().limit(20).forEach(p -> err.println("  " + p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | UnsupportedOperationException e) { // bad input; bf16 on a CNN space
      throw new CliException(e.getMessage(), e);
    }
  }

  private TrainingConfig config() {
    double warmup = warmupEpochs >= 0 ? warmupEpochs : Math.min(5, epochs / 10.0);
    return new TrainingConfig(epochs, batch, sampler, seed, lr, 1e-6, minLr, warmup, weightDecay, dropPath,
        new MixupCutmix(mixup, cutmix, mixup > 0 || cutmix > 0 ? 1.0 : 0, 0.5, smoothing), clipGrad, !noFlip,
        checkpointEvery, dataOptions.loaderThreads, device)
        .withDistillation(distill ? Distillation.on(distillTemperature) : Distillation.OFF)
        .withPrecision(Precision.parse(precision));
  }
}
