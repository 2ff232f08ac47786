package io.prenas.catalog;

import io.prenas.onnx.OnnxExport;
import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.tensorio.SafetensorsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The ONNX file of a published model: made from its standalone safetensors file by the family's {@link OnnxExport}
 * and stored content-addressed like the weights (kind {@code SUBNET_ONNX}), once.
 *
 * <p>When: at publication ({@code job.ModelPublication} makes it from the exported file and publishes the model with
 * both artifacts in one insert), so that a download never waits and a model is never published without it. A model
 * published before ONNX files existed has none on its row; its first ONNX download makes it here from the stored
 * weights and records it, and later downloads stream the stored file. Both paths make it from the same standalone
 * file with the same code, and the conversion is deterministic, so the bytes (and the ETag) do not depend on which
 * path or which node made it. The conversion is pure Java (the safetensors reader and protobuf), so an API node needs
 * no tensor engine for it.
 */
@Service
public class ModelOnnxFiles {

  private static final Logger LOG = LoggerFactory.getLogger(ModelOnnxFiles.class);
  /** Locks by model id (striped): concurrent first downloads of one model on one node convert it once. */
  private static final Object[] LOCKS = new Object[64];

  static {
    for (int i = 0; i < LOCKS.length; i++) {
      LOCKS[i] = new Object();
    }
  }

  private final ArtifactStore artifacts;
  private final PublishedModelRepository models;
  private final SpaceCatalog spaces;

  ModelOnnxFiles(ArtifactStore artifacts, PublishedModelRepository models, SpaceCatalog spaces) {
    this.artifacts = artifacts;
    this.models = models;
    this.spaces = spaces;
  }

  /** True when the space's family converts its standalone models to ONNX (has an {@link OnnxExport}). */
  public static boolean supported(SearchSpace space) {
    return ModelFamilies.of(space).port(OnnxExport.class).isPresent();
  }

  /**
   * Makes and stores the ONNX file of a standalone model file of {@code space}.
   *
   * @throws io.prenas.space.SpaceException when the space's family has no {@link OnnxExport}
   */
  public StoredArtifact make(SearchSpace space, Path standalone) throws IOException {
    OnnxExport port = ModelFamilies.port(space, OnnxExport.class);
    Path dir = Files.createTempDirectory("prenas-onnx");
    try {
      Path onnx = dir.resolve("model.onnx");
      try {
        port.write(standalone, onnx);
      } catch (IllegalArgumentException | SafetensorsException e) {
        throw new IllegalStateException("the standalone model " + standalone.getFileName() + " of space "
            + space.name() + " cannot be converted to ONNX: " + e.getMessage(), e);
      }
      return store(onnx);
    } finally {
      Files.deleteIfExists(dir.resolve("model.onnx"));
      Files.deleteIfExists(dir);
    }
  }

  /**
   * The ONNX file of a published model, made and recorded first when the model has none yet.
   *
   * @throws io.prenas.space.SpaceException when the model's family has no {@link OnnxExport}
   */
  public StoredArtifact of(PublishedModel model) throws IOException {
    if (model.onnxSha256() != null) {
      return artifacts.get(model.onnxSha256());
    }
    synchronized (LOCKS[(int) Math.floorMod(model.id(), (long) LOCKS.length)]) {
      PublishedModel current = models.findById(model.id()).orElse(model);
      if (current.onnxSha256() != null) {
        return artifacts.get(current.onnxSha256());
      }
      StoredArtifact weights = artifacts.get(model.artifactSha256());
      StoredArtifact onnx = make(spaces.space(model.space()), weights.file());
      if (models.recordOnnx(model.id(), onnx.sha256(), onnx.size()) == 1) {
        LOG.info("made the ONNX file of model {} ({} bytes, sha256 {})", model.id(), onnx.size(), onnx.sha256());
        return onnx;
      }
      // Another node recorded one meanwhile: serve what the row says, so every node gives the same ETag.
      return models.findById(model.id()).map(PublishedModel::onnxSha256).map(artifacts::get).orElse(onnx);
    }
  }

  /** Stores the file; once more if the first attempt lost a race to insert the same artifact row on another node. */
  private StoredArtifact store(Path onnx) throws IOException {
    try {
      return artifacts.store(onnx, ArtifactKind.SUBNET_ONNX);
    } catch (DataAccessException e) {
      return artifacts.store(onnx, ArtifactKind.SUBNET_ONNX);
    }
  }
}
