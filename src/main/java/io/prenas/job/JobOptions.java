package io.prenas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.prenas.supernet.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Options of a job, all optional, validated in the constructor (each error names {@code options.<field>}). Which
 * options a type accepts is checked by {@link #requireAllowedFor(JobType)}; defaults are filled by
 * {@link #withDefaults(JobType)} and stored with the job, so a job row says exactly what ran.
 *
 * @param dataPath dataset directory, relative to {@code prenas.data.dir} (no {@code ..}, not absolute)
 * @param binMin lower bound of the parameter bins, in millions of parameters
 * @param binMax upper bound of the parameter bins, in millions
 * @param binInterval width of one bin, in millions
 * @param candidatesPerBin preferred architectures kept per bin
 * @param scoreMode candidate score of the selector ({@code subnet} or {@code reference})
 * @param epochs training epochs
 * @param batchSize batch size (training, evaluation, and the selector's gradient batch)
 * @param sampler training sampler: {@code balanced}, {@code uniform} or {@code redundant}
 * @param seed seed of every random draw
 * @param selectionJob the selection whose preferred table a training job uses (default: the latest of the space)
 * @param trainingJob the training (or pipeline) whose supernet an evaluation job uses (default: the latest succeeded
 *     one of the space), or a training job starts from (default: the space's imported supernet, else a fresh init)
 * @param supernet the supernet an evaluation job evaluates: {@code trained} (default; a training job's, see
 *     {@code trainingJob}) or {@code imported} (the space's imported weights, with the preferred table of
 *     {@code selectionJob}, which may be an import; no training needed)
 * @param publish whether an evaluation job then publishes every preferred subnet as a model (default: true for the
 *     imported supernet, false for a trained one, whose pipeline publishes)
 * @param learningRate peak learning rate of training after the warm-up (default: the reference's rule,
 *     {@code 5e-4 * batchSize / 512}, made for ImageNet at batch 1024; small data in few epochs wants more)
 * @param warmupEpochs epochs of linear warm-up, may be fractional (default: {@code min(5, epochs / 10)})
 * @param distill BigNAS in-place distillation in training (default: false): each step the largest preferred
 *     architecture (by FLOPs) learns from the labels and the sampled one from its soft labels; family-neutral (it
 *     runs on the supernet seam), so a ViT and a CNN space both take it
 * @param precision number format of the selector's gradient pass, training and evaluation: {@code fp32} (default;
 *     the reference's) or {@code bf16} (mixed precision: float32 weights, gradients and optimiser, bfloat16 matrix
 *     products; ViT spaces)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobOptions(String dataPath, Double binMin, Double binMax, Double binInterval, Integer candidatesPerBin,
    String scoreMode, Integer epochs, Integer batchSize, String sampler, Long seed, UUID selectionJob,
    UUID trainingJob, String supernet, Boolean publish, Double learningRate, Double warmupEpochs, Boolean distill,
    String precision) {

  /** Options without {@code precision}. */
  public JobOptions(String dataPath, Double binMin, Double binMax, Double binInterval, Integer candidatesPerBin,
      String scoreMode, Integer epochs, Integer batchSize, String sampler, Long seed, UUID selectionJob,
      UUID trainingJob, String supernet, Boolean publish, Double learningRate, Double warmupEpochs,
      Boolean distill) {
    this(dataPath, binMin, binMax, binInterval, candidatesPerBin, scoreMode, epochs, batchSize, sampler, seed,
        selectionJob, trainingJob, supernet, publish, learningRate, warmupEpochs, distill, null);
  }

  /** Options without {@code distill}. */
  public JobOptions(String dataPath, Double binMin, Double binMax, Double binInterval, Integer candidatesPerBin,
      String scoreMode, Integer epochs, Integer batchSize, String sampler, Long seed, UUID selectionJob,
      UUID trainingJob, String supernet, Boolean publish, Double learningRate, Double warmupEpochs,
      String precision) {
    this(dataPath, binMin, binMax, binInterval, candidatesPerBin, scoreMode, epochs, batchSize, sampler, seed,
        selectionJob, trainingJob, supernet, publish, learningRate, warmupEpochs, null, precision);
  }

  /** The training sampler ({@code options.sampler}). */
  public enum Sampler {
    /** PreNAS: the preferred set, balanced over its bins. */
    BALANCED,
    /** The preferred set, uniformly. */
    UNIFORM,
    /** The whole space (the AutoFormer baseline). */
    REDUNDANT;

    /** The option's spelling ({@code balanced}, ...). */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The sampler an option names; a {@link JobOptionException} on {@code options.sampler} otherwise. */
    public static Sampler parse(String text) {
      return JobOptions.parse(Sampler.class, "sampler", text, Sampler::apiName);
    }
  }

  /** The selector's candidate score ({@code options.scoreMode}). */
  public enum ScoreMode {
    /** Exactly the subnet's parameters. */
    SUBNET,
    /** The reference implementation's sum, to reproduce its selections. */
    REFERENCE;

    /** The option's spelling ({@code subnet}, {@code reference}). */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The score mode an option names; a {@link JobOptionException} on {@code options.scoreMode} otherwise. */
    public static ScoreMode parse(String text) {
      return JobOptions.parse(ScoreMode.class, "scoreMode", text, ScoreMode::apiName);
    }
  }

  /** The supernet an evaluation evaluates ({@code options.supernet}). */
  public enum SupernetSource {
    /** The supernet a training or pipeline job of this server trained. */
    TRAINED,
    /** The space's imported supernet weights (e.g. the paper's released checkpoint). */
    IMPORTED;

    /** The option's spelling ({@code trained}, {@code imported}). */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The source an option names; a {@link JobOptionException} on {@code options.supernet} otherwise. */
    public static SupernetSource parse(String text) {
      return JobOptions.parse(SupernetSource.class, "supernet", text, SupernetSource::apiName);
    }
  }

  private static final Map<JobType, Set<String>> ALLOWED = Map.of(
      JobType.SELECTION, Set.of("dataPath", "binMin", "binMax", "binInterval", "candidatesPerBin", "scoreMode",
          "batchSize", "seed", "precision"),
      JobType.TRAINING, Set.of("dataPath", "epochs", "batchSize", "sampler", "seed", "selectionJob",
          "trainingJob", "learningRate", "warmupEpochs", "distill", "precision"),
      JobType.EVALUATION, Set.of("dataPath", "batchSize", "trainingJob", "selectionJob", "supernet", "publish",
          "precision"),
      JobType.PIPELINE, Set.of("dataPath", "binMin", "binMax", "binInterval", "candidatesPerBin", "scoreMode",
          "epochs", "batchSize", "sampler", "seed", "learningRate", "warmupEpochs", "distill", "precision"));

  public JobOptions {
    if (dataPath != null) {
      dataPath = checkRelativePath(dataPath);
    }
    positiveFinite("binMin", binMin, true);
    positiveFinite("binMax", binMax, false);
    positiveFinite("binInterval", binInterval, false);
    positiveFinite("learningRate", learningRate, false);
    if (learningRate != null && learningRate > 1) {
      throw new JobOptionException("options.learningRate", "must be at most 1, got " + learningRate);
    }
    positiveFinite("warmupEpochs", warmupEpochs, true);
    if (warmupEpochs != null && epochs != null && warmupEpochs > epochs) {
      throw new JobOptionException("options.warmupEpochs", "must be at most the epochs (" + epochs + "), got "
          + warmupEpochs);
    }
    if (binMin != null && binMax != null && !(binMin < binMax)) {
      throw new JobOptionException("options.binMax", "must be above binMin (" + binMin + "), got " + binMax);
    }
    positive("candidatesPerBin", candidatesPerBin, 1000);
    positive("epochs", epochs, 100_000);
    positive("batchSize", batchSize, 65_536);
    if (sampler != null) {
      Sampler.parse(sampler);
    }
    if (scoreMode != null) {
      ScoreMode.parse(scoreMode);
    }
    if (precision != null) {
      precision = precision(precision).id();
    }
    if (seed != null && seed < 0) {
      throw new JobOptionException("options.seed", "must not be negative, got " + seed);
    }
    if (supernet != null && SupernetSource.parse(supernet) == SupernetSource.IMPORTED && trainingJob != null) {
      throw new JobOptionException("options.trainingJob", "names a trained supernet; it cannot be given with "
          + "supernet 'imported'");
    }
  }

  /** Options without {@code distill} (as they were before it existed). */
  public JobOptions(String dataPath, Double binMin, Double binMax, Double binInterval, Integer candidatesPerBin,
      String scoreMode, Integer epochs, Integer batchSize, String sampler, Long seed, UUID selectionJob,
      UUID trainingJob, String supernet, Boolean publish, Double learningRate, Double warmupEpochs) {
    this(dataPath, binMin, binMax, binInterval, candidatesPerBin, scoreMode, epochs, batchSize, sampler, seed,
        selectionJob, trainingJob, supernet, publish, learningRate, warmupEpochs, null, null);
  }

  /** No options at all. */
  public static JobOptions none() {
    return new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  /**
   * Fails when an option is set that the type does not use, or one the job cannot run without is missing: an
   * evaluation of the imported supernet has no training to take its data from, so it needs {@code dataPath}.
   */
  /** The names of the options a job type accepts. */
  public static Set<String> allowedFor(JobType type) {
    return ALLOWED.get(type);
  }

  public void requireAllowedFor(JobType type) {
    Set<String> allowed = ALLOWED.get(type);
    for (String name : setNames()) {
      if (!allowed.contains(name)) {
        throw new JobOptionException("options." + name, "is not an option of a " + type.apiName()
            + " job (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
    if (type == JobType.EVALUATION && supernetSource() == SupernetSource.IMPORTED && dataPath == null) {
      throw new JobOptionException("options.dataPath", "is required with supernet 'imported': the images to "
          + "evaluate on (an ImageFolder or IDX folder under the server's data directory)");
    }
  }

  /** The evaluated supernet's source; {@code trained} when not set. */
  public SupernetSource supernetSource() {
    return supernet == null ? SupernetSource.TRAINED : SupernetSource.parse(supernet);
  }

  /** The same options with the defaults of a type filled in. */
  public JobOptions withDefaults(JobType type) {
    boolean selects = type == JobType.SELECTION || type == JobType.PIPELINE;
    boolean trains = type == JobType.TRAINING || type == JobType.PIPELINE;
    boolean evaluates = type == JobType.EVALUATION;
    return new JobOptions(dataPath,
        selects ? binMin : null, selects ? binMax : null, selects ? binInterval : null,
        selects && candidatesPerBin == null ? Integer.valueOf(1) : candidatesPerBin,
        selects && scoreMode == null ? ScoreMode.SUBNET.apiName() : scoreMode,
        trains && epochs == null ? Integer.valueOf(1) : epochs,
        batchSize == null ? Integer.valueOf(selects && !trains ? 16 : 64) : batchSize,
        trains && sampler == null ? Sampler.BALANCED.apiName() : sampler,
        seed == null ? Long.valueOf(0) : seed,
        selectionJob, trainingJob,
        evaluates && supernet == null ? SupernetSource.TRAINED.apiName() : supernet,
        evaluates && publish == null ? Boolean.valueOf(supernetSource() == SupernetSource.IMPORTED) : publish,
        trains ? learningRate : null, trains ? warmupEpochs : null,
        trains ? Boolean.valueOf(Boolean.TRUE.equals(distill)) : null,
        precision == null ? Precision.FP32.id() : precision);
  }

  /** The precision an option names ({@code fp32} when not set: rows written before the option). */
  public Precision precisionOrDefault() {
    return precision == null ? Precision.FP32 : precision(precision);
  }

  private static Precision precision(String text) {
    try {
      return Precision.parse(text);
    } catch (IllegalArgumentException e) {
      throw new JobOptionException("options.precision", "must be fp32 or bf16, got '" + text + "'");
    }
  }

  /**
   * The data directory under the data root, or {@code null} when none was given. The path itself cannot leave the
   * root (see {@link #checkRelativePath}); when it exists, its real path (links followed) must stay under the root's
   * real path too, so a link planted in the data directory does not open the rest of the filesystem.
   */
  public Path dataDirUnder(Path dataRoot) {
    if (dataPath == null) {
      return null;
    }
    Path root = dataRoot.toAbsolutePath().normalize();
    Path dir = root.resolve(dataPath).normalize();
    if (!dir.startsWith(root)) {
      throw new JobOptionException("options.dataPath", "must stay inside the server's data directory");
    }
    // The deepest part of the path that exists: a link there may lead out even when the rest does not exist yet.
    Path existing = dir;
    while (existing != null && !existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null && !existing.equals(root) && Files.exists(root)) {
      try {
        if (!existing.toRealPath().startsWith(root.toRealPath())) {
          throw new JobOptionException("options.dataPath", "leads outside the server's data directory (through a "
              + "symbolic link)");
        }
      } catch (IOException e) {
        // A dangling link: it names nothing inside the data directory either.
        throw new JobOptionException("options.dataPath", "cannot be followed inside the data directory");
      }
    }
    return dir;
  }

  /**
   * {@link #dataDirUnder} for a worker: a path that became invalid after the submit (a link planted since) fails the
   * job at once instead of being retried.
   */
  Path dataDirForRun(Path dataRoot) {
    try {
      return dataDirUnder(dataRoot);
    } catch (JobOptionException e) {
      throw new JobFailedException(e.getMessage());
    }
  }

  private List<String> setNames() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("dataPath", dataPath);
    values.put("binMin", binMin);
    values.put("binMax", binMax);
    values.put("binInterval", binInterval);
    values.put("candidatesPerBin", candidatesPerBin);
    values.put("scoreMode", scoreMode);
    values.put("epochs", epochs);
    values.put("batchSize", batchSize);
    values.put("sampler", sampler);
    values.put("seed", seed);
    values.put("selectionJob", selectionJob);
    values.put("trainingJob", trainingJob);
    values.put("supernet", supernet);
    values.put("publish", publish);
    values.put("learningRate", learningRate);
    values.put("warmupEpochs", warmupEpochs);
    values.put("distill", distill);
    values.put("precision", precision);
    List<String> set = new ArrayList<>();
    values.forEach((k, v) -> {
      if (v != null) {
        set.add(k);
      }
    });
    return set;
  }

  private static String checkRelativePath(String p) {
    String s = p.strip().replace('\\', '/');
    if (s.isEmpty() || s.length() > 500) {
      throw new JobOptionException("options.dataPath", "must be a non-empty relative path of at most 500 characters");
    }
    if (s.startsWith("/") || s.matches("^[A-Za-z]:.*") || s.chars().anyMatch(c -> c < 0x20)) {
      throw new JobOptionException("options.dataPath", "must be relative to the server's data directory");
    }
    if (s.indexOf('%') >= 0) {
      // Never decoded here, so "%2e%2e" would name a literal directory; a client that sent it meant "..".
      throw new JobOptionException("options.dataPath", "must not contain '%' (paths are not URL-decoded)");
    }
    for (String part : s.split("/")) {
      if (part.equals("..")) {
        throw new JobOptionException("options.dataPath", "must not contain '..'");
      }
    }
    return s;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String option, String text,
      java.util.function.Function<E, String> spelling) {
    for (E e : type.getEnumConstants()) {
      if (spelling.apply(e).equals(text)) {
        return e;
      }
    }
    List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(spelling).toList();
    throw new JobOptionException("options." + option, "must be one of " + names + ", got '" + text + "'");
  }

  private static void positiveFinite(String name, Double v, boolean zeroAllowed) {
    if (v == null) {
      return;
    }
    if (v.isNaN() || v.isInfinite() || v < 0 || (!zeroAllowed && v == 0)) {
      throw new JobOptionException("options." + name, "must be a " + (zeroAllowed ? "non-negative" : "positive")
          + " finite number, got " + v);
    }
  }

  private static void positive(String name, Integer v, int max) {
    if (v != null && (v <= 0 || v > max)) {
      throw new JobOptionException("options." + name, "must be between 1 and " + max + ", got " + v);
    }
  }
}
