package io.prenas.job;

import io.prenas.catalog.ModelCard;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.catalog.PreferredArchitecture;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.tensorio.Safetensors;
import java.io.IOException;
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
 * a model with both files, its validation accuracy and its card (in the row and in the metadata of both files). The
 * models form the job's release, complete (and the space's newest) once every one is published. Re-entrant: a model
 * the job already published is not published twice.
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
      List<TrainingEngine.Accuracy> acc, TrainingEngine trainer, JobProgress progress, JobWorkFolder work,
      ModelCard card, TrainingEngine.RecalibrationData recalibration) throws Exception {
    progress.phase("export", set.size());
    List<TrainingEngine.Exported> exported = trainer.export(space.space(), supernet, set.architectures(),
        work.resolve("export"), recalibration);
    progress.step(exported.size());

    progress.phase("publish", set.size());
    Set<String> done = new HashSet<>();
    models.publishedBy(job.id()).forEach(m -> done.add(m.archId()));
    for (int i = 0; i < set.size(); i++) {
      PreferredArchitecture row = set.rows().get(i);
      if (done.add(row.archId())) {
        TrainingEngine.Exported e = exported.get(i);
        TrainingEngine.Accuracy a = acc.get(i);
        Path carded = withCard(e.weights(), card);
        StoredArtifact weights = artifacts.store(carded, ArtifactKind.SUBNET_WEIGHTS);
        // a family without an ONNX export publishes the safetensors file alone (its ONNX download is a 404)
        StoredArtifact onnx = ModelOnnxFiles.supported(space.space()) ? onnxFiles.make(space.space(), carded) : null;
        PublishedModel m = models.publish(space.name(), row.archId(), row.config(), e.parameterCount(), a.flops(),
            a.top1(), a.top5(), weights, onnx, job.id(), card);
        progress.log("published model " + m.id() + ": " + row.archId() + ", " + e.parameterCount() + " params, top-1 "
            + String.format(Locale.ROOT, "%.2f", a.top1()) + "%");
      }
      progress.step(i + 1);
    }
    models.completeRelease(job.id());
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
      p.put("release", m.releaseId());
      published.add(p);
    }
    progress.metrics(Map.of("published", published));
  }

  /**
   * The exported weights file with the card added to its metadata ({@link ModelCard#METADATA_KEY}), written next to
   * it: a client that has only the file still knows how to run it.
   */
  private static Path withCard(Path exported, ModelCard card) throws IOException {
    Safetensors.Contents contents = Safetensors.read(exported);
    Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
    metadata.putAll(card.fileMetadata());
    String name = exported.getFileName().toString();
    Path out = exported.resolveSibling(name.substring(0, name.length() - ".safetensors".length())
        + ".card.safetensors");
    Safetensors.write(out, contents.tensors(), metadata);
    return out;
  }
}
