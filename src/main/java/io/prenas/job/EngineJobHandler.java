package io.prenas.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredArchitectureRepository;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceInfo;
import io.prenas.space.Architecture;
import io.prenas.space.ArchitectureJson;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs training, evaluation and pipeline jobs through the {@link TrainingEngine} port.
 *
 * <ul>
 *   <li><b>training</b>: the preferred table of {@code options.selectionJob} (default: the space's latest), trained
 *       from {@code options.trainingJob}'s supernet, else the space's imported supernet, else a seeded init; the
 *       trained supernet is stored as a {@code SUPERNET_WEIGHTS} artifact ({@code metrics.supernetSha256});</li>
 *   <li><b>evaluation</b>: every preferred architecture of a trained supernet ({@code options.trainingJob}, default
 *       the space's latest succeeded training or pipeline) on the validation part of the data;</li>
 *   <li><b>pipeline</b>: selection (gradient pass on a batch of its training images) → training on its preferred set → evaluation → export of
 *       every preferred subnet as a standalone safetensors artifact → publication as models.</li>
 * </ul>
 *
 * <p>Re-entrant: each checkpoint is stored as a {@code CHECKPOINT} artifact and recorded on the job row as soon as
 * it is written, so a job run again (its worker died, or a retry) resumes from it; a pipeline run again skips a
 * selection it already stored and publishes only the models still missing. Work files live in
 * {@code <storage>/jobs/<id>/} and are removed when the attempt ends.
 */
@Component
public class EngineJobHandler implements JobRequestHandler<EngineJobRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(EngineJobHandler.class);

  /** A dead worker's job is picked up again by JobRunr; retries add little for training, so keep them few. */
  static final int RETRIES = 1;

  private final JobRunner runner;
  private final ObjectProvider<TrainingEngine> engine;
  private final SpaceCatalog spaces;
  private final ArtifactStore artifacts;
  private final SelectionStep selection;
  private final PreferredArchitectureRepository preferredRows;
  private final JobRepository jobs;
  private final ModelCatalog models;
  private final ObjectMapper json;
  private final Path dataRoot;

  EngineJobHandler(JobRunner runner, ObjectProvider<TrainingEngine> engine, SpaceCatalog spaces,
      ArtifactStore artifacts, SelectionStep selection, PreferredArchitectureRepository preferredRows,
      JobRepository jobs, ModelCatalog models, ObjectMapper json,
      @Value("${prenas.data.dir:./data/datasets}") Path dataRoot) {
    this.runner = runner;
    this.engine = engine;
    this.spaces = spaces;
    this.artifacts = artifacts;
    this.selection = selection;
    this.preferredRows = preferredRows;
    this.jobs = jobs;
    this.models = models;
    this.json = json;
    this.dataRoot = dataRoot.toAbsolutePath().normalize();
  }

  @Override
  @Job(name = "PreNAS training/evaluation/pipeline", retries = RETRIES)
  public void run(EngineJobRequest request) throws Exception {
    runner.run(request.jobId(), RETRIES, (job, progress) -> {
      TrainingEngine trainer = engine.getIfAvailable();
      if (trainer == null) {
        throw new JobFailedException(TrainingEngine.UNAVAILABLE);
      }
      JobOptions options = json.readValue(job.options(), JobOptions.class);
      SpaceInfo space = spaces.get(job.space());
      Path work = artifacts.root().resolve("jobs").resolve(job.id().toString());
      try {
        switch (job.type()) {
          case TRAINING -> training(job, options, space, trainer, progress, work);
          case EVALUATION -> evaluation(job, options, space, trainer, progress);
          case PIPELINE -> pipeline(job, options, space, trainer, progress, work);
          default -> throw new JobFailedException(job.type().apiName() + " jobs are not run by this handler");
        }
      } finally {
        deleteQuietly(work);
      }
    });
  }

  private void training(JobRecord job, JobOptions o, SpaceInfo space, TrainingEngine trainer, JobProgress progress,
      Path work) throws Exception {
    Path data = requireData(o, job.type());
    Preferred set = preferred(space.name(), o.selectionJob(), "options.selectionJob");
    progress.metrics(Map.of("selectionJob", set.jobId().toString(), "preferred", set.rows().size()));
    Path initial = initialWeights(o, space, progress);
    train(job, o, space, set, data, initial, trainer, progress, work);
  }

  private void evaluation(JobRecord job, JobOptions o, SpaceInfo space, TrainingEngine trainer,
      JobProgress progress) throws Exception {
    JobRecord trained = o.trainingJob() != null
        ? trainedJob(o.trainingJob(), space.name(), "options.trainingJob")
        : latestTrained(space.name());
    JobOptions trainedOptions = json.readValue(trained.options(), JobOptions.class);
    Path data = requireData(o.dataPath() != null ? o : trainedOptions, job.type());
    UUID selectionJob = trained.type() == JobType.PIPELINE ? trained.id()
        : UUID.fromString(metric(trained, "selectionJob"));
    Preferred set = preferred(space.name(), selectionJob, "options.trainingJob");
    String supernetSha = metric(trained, "supernetSha256");
    progress.log("evaluating the supernet of job " + trained.id() + " on " + set.rows().size()
        + " preferred architectures");
    progress.metrics(Map.of("trainingJob", trained.id().toString(), "supernetSha256", supernetSha,
        "selectionJob", selectionJob.toString()));
    List<TrainingEngine.Accuracy> acc = trainer.evaluate(new TrainingEngine.EvaluationCommand(space.space(),
        artifacts.get(supernetSha).file(), set.architectures(), data, o.batchSize(), trainedOptions.seed()),
        progress);
    progress.metrics(Map.of("evaluation", results(set, acc)));
  }

  private void pipeline(JobRecord job, JobOptions o, SpaceInfo space, TrainingEngine trainer, JobProgress progress,
      Path work) throws Exception {
    Path data = requireData(o, job.type());
    if (preferredRows.findBySpaceAndJobIdOrderByBinLowerAscRankAsc(space.name(), job.id()).isEmpty()) {
      // As in the reference, SNIP's gradient batch comes from the training data (a seeded draw of batchSize images).
      progress.log("selection: gradient pass on " + o.batchSize() + " training images of " + o.dataPath());
      selection.run(job, o, space, data, progress);
    } else {
      progress.log("selection skipped: an earlier attempt stored this job's preferred table");
    }
    Preferred set = preferred(space.name(), job.id(), "options");
    progress.metrics(Map.of("selectionJob", job.id().toString()));
    Path initial = null;
    if (space.supernetSha256() != null) {
      progress.log("training starts from the imported supernet weights " + space.supernetSha256());
      initial = artifacts.get(space.supernetSha256()).file();
    }
    StoredArtifact supernet = train(job, o, space, set, data, initial, trainer, progress, work);

    List<TrainingEngine.Accuracy> acc = trainer.evaluate(new TrainingEngine.EvaluationCommand(space.space(),
        supernet.file(), set.architectures(), data, o.batchSize(), o.seed()), progress);
    progress.metrics(Map.of("evaluation", results(set, acc)));

    progress.phase("export", set.rows().size());
    List<TrainingEngine.Exported> exported = trainer.export(space.space(), supernet.file(), set.architectures(),
        work.resolve("export"));
    progress.step(exported.size());

    progress.phase("publish", set.rows().size());
    Set<String> done = new HashSet<>();
    models.publishedBy(job.id()).forEach(m -> done.add(m.archId()));
    List<Map<String, Object>> published = new ArrayList<>();
    for (int i = 0; i < set.rows().size(); i++) {
      PreferredArchitecture row = set.rows().get(i);
      if (done.add(row.archId())) {
        TrainingEngine.Exported e = exported.get(i);
        TrainingEngine.Accuracy a = acc.get(i);
        StoredArtifact weights = artifacts.store(e.weights(), ArtifactKind.SUBNET_WEIGHTS);
        PublishedModel m = models.publish(space.name(), row.archId(), row.config(), e.parameterCount(), a.flops(),
            a.top1(), a.top5(), weights, job.id());
        progress.log("published model " + m.id() + ": " + row.archId() + ", " + e.parameterCount() + " params, top-1 "
            + String.format(java.util.Locale.ROOT, "%.2f", a.top1()) + "%");
      }
      progress.step(i + 1);
    }
    for (PublishedModel m : models.publishedBy(job.id())) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", m.id());
      p.put("archId", m.archId());
      p.put("params", m.params());
      p.put("flops", m.flops());
      p.put("valTop1", m.valTop1());
      p.put("sha256", m.artifactSha256());
      published.add(p);
    }
    progress.metrics(Map.of("published", published));
  }

  /** Trains (resuming from the job's checkpoint when it has one) and stores the trained supernet. */
  private StoredArtifact train(JobRecord job, JobOptions o, SpaceInfo space, Preferred set, Path data, Path initial,
      TrainingEngine trainer, JobProgress progress, Path work) throws Exception {
    Path resume = null;
    if (job.checkpointSha256() != null) {
      Optional<StoredArtifact> checkpoint = artifacts.find(job.checkpointSha256());
      if (checkpoint.isPresent()) {
        progress.log("resuming from checkpoint " + job.checkpointSha256());
        resume = checkpoint.get().file();
      } else {
        progress.log("checkpoint " + job.checkpointSha256() + " is missing from the store; training starts over");
      }
    }
    String[] latestCheckpoint = {job.checkpointSha256()};
    TrainingEngine.TrainingOutcome out = trainer.train(new TrainingEngine.TrainingCommand(space.space(),
        set.architectures(), data, o.epochs(), o.batchSize(), o.sampler(), o.seed(), initial, resume,
        work.resolve("training")), progress, file -> {
          StoredArtifact a = artifacts.store(file.file(), ArtifactKind.CHECKPOINT);
          String previous = latestCheckpoint[0];
          progress.checkpoint(a.sha256());
          latestCheckpoint[0] = a.sha256();
          progress.log("checkpoint stored as artifact " + a.sha256());
          if (previous != null && !previous.equals(a.sha256())) {
            // The row now names the new one; the old one can only be needed by another job with the same bytes.
            artifacts.deleteCheckpointIfUnused(previous);
          }
        });
    progress.metrics(out.metrics());
    if (out.cancelled()) {
      throw new JobCancelledException();
    }
    StoredArtifact weights = artifacts.store(out.supernetWeights(), ArtifactKind.SUPERNET_WEIGHTS);
    progress.metrics(Map.of("supernetSha256", weights.sha256()));
    progress.log("trained " + out.globalStep() + " steps (" + out.skippedSteps() + " skipped); supernet stored as "
        + weights.sha256());
    return weights;
  }

  /** The preferred table of one selection (or pipeline) job, or the space's latest when {@code jobId} is null. */
  private Preferred preferred(String space, UUID jobId, String field) throws IOException {
    UUID id = jobId;
    if (id == null) {
      PreferredArchitecture latest = preferredRows.findFirstBySpaceOrderByCreatedAtDescIdDesc(space);
      if (latest == null) {
        throw new JobFailedException("space '" + space + "' has no preferred table yet: run a selection job first "
            + "(or a pipeline)");
      }
      id = latest.jobId();
    }
    List<PreferredArchitecture> rows = preferredRows.findBySpaceAndJobIdOrderByBinLowerAscRankAsc(space, id);
    if (rows.isEmpty()) {
      throw new JobFailedException(field + ": job " + id + " wrote no preferred table for space '" + space + "'");
    }
    List<Architecture> archs = new ArrayList<>();
    for (PreferredArchitecture r : rows) {
      archs.add(ArchitectureJson.readConfig(json.readTree(r.config())));
    }
    return new Preferred(id, rows, archs);
  }

  /** Where a training job starts: another job's trained supernet, the imported one, or a fresh init. */
  private Path initialWeights(JobOptions o, SpaceInfo space, JobProgress progress) throws IOException {
    if (o.trainingJob() != null) {
      JobRecord from = trainedJob(o.trainingJob(), space.name(), "options.trainingJob");
      String sha = metric(from, "supernetSha256");
      progress.log("training starts from the supernet trained by job " + from.id() + " (" + sha + ")");
      return artifacts.get(sha).file();
    }
    if (space.supernetSha256() != null) {
      progress.log("training starts from the imported supernet weights " + space.supernetSha256());
      return artifacts.get(space.supernetSha256()).file();
    }
    progress.log("training starts from a fresh seeded initialisation");
    return null;
  }

  private JobRecord trainedJob(UUID id, String space, String field) {
    JobRecord j = jobs.findById(id).orElseThrow(() -> new JobFailedException(field + ": no job " + id));
    if (!j.space().equals(space) || (j.type() != JobType.TRAINING && j.type() != JobType.PIPELINE)
        || j.state() != JobState.SUCCEEDED) {
      throw new JobFailedException(field + ": job " + id + " is not a succeeded training or pipeline job of space '"
          + space + "'");
    }
    return j;
  }

  private JobRecord latestTrained(String space) {
    return Stream.of(JobType.TRAINING, JobType.PIPELINE)
        .map(t -> jobs.findFirstBySpaceAndTypeAndStateOrderByFinishedAtDesc(space, t, JobState.SUCCEEDED))
        .flatMap(Optional::stream)
        .max(Comparator.comparing(JobRecord::finishedAt))
        .orElseThrow(() -> new JobFailedException("space '" + space + "' has no succeeded training or pipeline job "
            + "to evaluate yet"));
  }

  private String metric(JobRecord j, String key) throws IOException {
    JsonNode v = json.readTree(j.metrics()).get(key);
    if (v == null || !v.isTextual()) {
      throw new JobFailedException("job " + j.id() + " has no " + key + " in its metrics");
    }
    return v.asText();
  }

  private Path requireData(JobOptions o, JobType type) {
    Path d = o.dataDirForRun(dataRoot);
    if (d == null) {
      throw new JobFailedException("options.dataPath: a " + type.apiName() + " job needs training data (an IDX "
          + "folder or an ImageFolder under the server's data directory)");
    }
    if (!Files.isDirectory(d)) {
      throw new JobFailedException("options.dataPath: no folder at '" + o.dataPath() + "' in the data directory");
    }
    return d;
  }

  private static List<Map<String, Object>> results(Preferred set, List<TrainingEngine.Accuracy> acc) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < acc.size(); i++) {
      TrainingEngine.Accuracy a = acc.get(i);
      PreferredArchitecture row = set.rows().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("archId", row.archId());
      m.put("binKey", row.binKey());
      m.put("params", a.params());
      m.put("flops", a.flops());
      m.put("top1", a.top1());
      m.put("top5", a.top5());
      if (Double.isFinite(a.loss())) {
        m.put("loss", a.loss());
      }
      m.put("images", a.images());
      out.add(m);
    }
    return out;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("could not delete {}: {}", p, e.getMessage());
        }
      });
    } catch (IOException e) {
      LOG.warn("could not clean {}: {}", dir, e.getMessage());
    }
  }

  /** A preferred table: its job, its rows (bin order) and their architectures (same order). */
  private record Preferred(UUID jobId, List<PreferredArchitecture> rows, List<Architecture> architectures) {}
}
