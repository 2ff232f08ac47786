package io.prenas.job;

import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The end of a pipeline: every preferred subnet exported from the trained supernet as standalone weights, stored as
 * a {@code SUBNET_WEIGHTS} artifact, converted to ONNX ({@code SUBNET_ONNX}, {@link ModelOnnxFiles}) and published as
 * a model with both files and its validation accuracy. Re-entrant: a model the job already published is not
 * published twice.
 */
@Component
class ModelPublication {

  private final ArtifactStore artifacts;
  private final ModelCatalog models;
  private final ModelOnnxFiles onnxFiles;

  ModelPublication(ArtifactStore artifacts, ModelCatalog models, ModelOnnxFiles onnxFiles) {
    this.artifacts = artifacts;
    this.models = models;
    this.onnxFiles = onnxFiles;
  }

  void exportAndPublish(JobRecord job, SpaceInfo space, PreferredTables.Table set, Path supernet,
      List<TrainingEngine.Accuracy> acc, TrainingEngine trainer, JobProgress progress, JobWorkFolder work)
      throws Exception {
    progress.phase("export", set.size());
    List<TrainingEngine.Exported> exported = trainer.export(space.space(), supernet, set.architectures(),
        work.resolve("export"));
    progress.step(exported.size());

    progress.phase("publish", set.size());
    Set<String> done = new HashSet<>();
    models.publishedBy(job.id()).forEach(m -> done.add(m.archId()));
    for (int i = 0; i < set.size(); i++) {
      PreferredArchitecture row = set.rows().get(i);
      if (done.add(row.archId())) {
        TrainingEngine.Exported e = exported.get(i);
        TrainingEngine.Accuracy a = acc.get(i);
        StoredArtifact weights = artifacts.store(e.weights(), ArtifactKind.SUBNET_WEIGHTS);
        StoredArtifact onnx = onnxFiles.make(space.space(), e.weights());
        PublishedModel m = models.publish(space.name(), row.archId(), row.config(), e.parameterCount(), a.flops(),
            a.top1(), a.top5(), weights, onnx, job.id());
        progress.log("published model " + m.id() + ": " + row.archId() + ", " + e.parameterCount() + " params, top-1 "
            + String.format(Locale.ROOT, "%.2f", a.top1()) + "%");
      }
      progress.step(i + 1);
    }
    List<Map<String, Object>> published = new ArrayList<>();
    for (PublishedModel m : models.publishedBy(job.id())) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", m.id());
      p.put("archId", m.archId());
      p.put("params", m.params());
      p.put("flops", m.flops());
      p.put("valTop1", m.valTop1());
      p.put("sha256", m.artifactSha256());
      p.put("onnxSha256", m.onnxSha256());
      published.add(p);
    }
    progress.metrics(Map.of("published", published));
  }
}
