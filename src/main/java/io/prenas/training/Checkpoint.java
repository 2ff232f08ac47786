package io.prenas.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prenas.fileio.AtomicFiles;
import io.prenas.supernet.TrainingSession;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.SafetensorsException;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file holding the supernet weights under their reference names, the AdamW
 * moments ({@code adamw.exp_avg.<key>}, {@code adamw.exp_avg_sq.<key>}) and, in the header metadata
 * ({@code prenas.checkpoint}), where to resume: the epoch, the next batch within it, the global step, the optimiser
 * step count, skipped steps, seed and sampler. Draws (architecture, data order, augmentation, drop-path) are
 * functions of (seed, epoch, step), so these numbers are the whole random state. Written atomically.
 *
 * <p>The weights part alone is a valid reference-layout supernet file: {@link #weights()} drops the optimiser keys.
 */
public record Checkpoint(Map<String, Tensor> weights, Map<String, Tensor> optimizerState, State state) {

  static final String METADATA_KEY = "prenas.checkpoint";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where a run stands. {@code nextBatch} is the first batch of {@code epoch} not yet trained;
   * {@code skippedByArchitecture} splits {@code skippedSteps} by architecture id (empty in older checkpoints).
   * {@code distillation} is the run's in-place distillation when it is on, and {@code null} (not written) when it is
   * off, so a checkpoint without distillation has the same bytes as before the setting existed. {@code precision} is
   * the run's ({@code fp32} in checkpoints written before the option existed).
   */
  public record State(String space, int epoch, int nextBatch, long globalStep, long optimizerSteps, long skippedSteps,
      long seed, String sampler, int batchSize, int epochs, Map<String, Long> skippedByArchitecture,
      @JsonInclude(JsonInclude.Include.NON_NULL) Distillation distillation, String precision) {

    public State {
      skippedByArchitecture = skippedByArchitecture == null ? Map.of() : skippedByArchitecture;
      distillation = distillation == null || !distillation.enabled() ? null : distillation;
      precision = precision == null ? "fp32" : precision;
    }

    /** A state of a float32 run without distillation. */
    public State(String space, int epoch, int nextBatch, long globalStep, long optimizerSteps, long skippedSteps,
        long seed, String sampler, int batchSize, int epochs, Map<String, Long> skippedByArchitecture) {
      this(space, epoch, nextBatch, globalStep, optimizerSteps, skippedSteps, seed, sampler, batchSize, epochs,
          skippedByArchitecture, null, "fp32");
    }

    /** The run's distillation, {@link Distillation#OFF} when it had none. */
    public Distillation distillationOrOff() {
      return Distillation.orOff(distillation);
    }
  }

  /** Writes the checkpoint atomically and durably; returns the SHA-256 (lower-case hex) of the bytes written. */
  public String write(Path file) throws IOException {
    Map<String, Tensor> all = new LinkedHashMap<>(weights);
    all.putAll(optimizerState);
    ObjectNode meta = JSON.valueToTree(state);
    Map<String, String> metadata = Map.of("format", "prenas-checkpoint", METADATA_KEY, meta.toString());
    MessageDigest digest = sha256();
    AtomicFiles.write(file, AtomicFiles.Sync.DURABLE,
        out -> Safetensors.writeTo(new DigestOutputStream(out, digest), all, metadata));
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Supernet weights (reference names) from either a supernet weights file or a training checkpoint, whose optimiser
   * tensors are dropped. The one reader of "weights to start from or evaluate" for the CLI and the server.
   */
  public static Map<String, Tensor> readWeights(Path file) throws IOException {
    Safetensors.Contents c = Safetensors.read(file);
    return c.metadata().containsKey(METADATA_KEY) ? split(file, c).weights() : c.tensors();
  }

  public static Checkpoint read(Path file) throws IOException {
    return split(file, Safetensors.read(file));
  }

  private static Checkpoint split(Path file, Safetensors.Contents c) throws IOException {
    String meta = c.metadata().get(METADATA_KEY);
    if (meta == null) {
      throw new SafetensorsException(file + ": not a training checkpoint (no " + METADATA_KEY + " metadata)");
    }
    State state = JSON.readValue(meta, State.class);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      boolean moment = k.startsWith(TrainingSession.FIRST_MOMENT_PREFIX)
          || k.startsWith(TrainingSession.SECOND_MOMENT_PREFIX);
      (moment ? optimizer : weights).put(k, v);
    });
    return new Checkpoint(weights, optimizer, state);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
