package io.prenas.api;

import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.catalog.PublishedModel;
import io.prenas.space.SpaceException;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The downloadable file of a model's weights in a format, with the headers that name it. A published model's files
 * never change (content-addressed, never deleted; withdrawal keeps them downloadable), so after the first download
 * they come from memory, without the two database reads (model, artifact row) that were most of a small download's
 * server time. The file is still checked to exist on every download, so a storage outage answers as before.
 */
@Component
class WeightsFiles {

  /** A model's file in one format: the stored file, its strong ETag and its Content-Disposition header. */
  record WeightsFile(StoredArtifact file, String etag, String contentDisposition) {

    /** Whether the file is still on disk (a stat, no database access). */
    boolean onDisk() {
      return Files.isRegularFile(file.file());
    }

    /** The headers of a whole-file answer, its length aside: the controller's and the fast path's. */
    HttpHeaders headers() {
      HttpHeaders h = new HttpHeaders();
      h.setETag(etag);
      h.setContentType(MediaType.APPLICATION_OCTET_STREAM);
      h.set(HttpHeaders.CONTENT_DISPOSITION, contentDisposition);
      h.set(HttpHeaders.ACCEPT_RANGES, "bytes");
      h.set(HttpHeaders.CACHE_CONTROL, ModelController.IMMUTABLE);
      return h;
    }

    /**
     * A whole-file GET on a connector that supports it (Tomcat NIO): asks Tomcat to send the file with sendfile(2)
     * once the headers are out, instead of copying it through the JVM. Ranges and HEAD keep Spring's resource
     * handling (false).
     */
    boolean sendfile(HttpServletRequest request) {
      if (!"GET".equals(request.getMethod()) || request.getHeader(HttpHeaders.RANGE) != null
          || !Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
        return false;
      }
      request.setAttribute(SENDFILE_FILENAME, file.file().toAbsolutePath().toString());
      request.setAttribute(SENDFILE_START, 0L);
      request.setAttribute(SENDFILE_END, file.size());
      return true;
    }
  }

  private static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
  private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
  private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
  private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

  private final ModelCatalog models;
  private final ArtifactStore artifacts;
  private final ModelOnnxFiles onnxFiles;
  private final Map<ModelController.WeightsFormat, Map<Long, WeightsFile>> known = Map.of(
      ModelController.WeightsFormat.SAFETENSORS, new ConcurrentHashMap<>(),
      ModelController.WeightsFormat.ONNX, new ConcurrentHashMap<>());

  WeightsFiles(ModelCatalog models, ArtifactStore artifacts, ModelOnnxFiles onnxFiles) {
    this.models = models;
    this.artifacts = artifacts;
    this.onnxFiles = onnxFiles;
  }

  /** The file from memory when it was looked up before and is still on disk, else null (no database access). */
  WeightsFile known(long id, ModelController.WeightsFormat format) {
    WeightsFile w = remembered(id, format);
    return w != null && w.onDisk() ? w : null;
  }

  /**
   * The file from memory when it was looked up before, else null, without checking the disk: for a caller that opens
   * the file next and so finds a missing one itself (the serving port).
   */
  WeightsFile remembered(long id, ModelController.WeightsFormat format) {
    return known.get(format).get(id);
  }

  /**
   * The file, from memory or looked up (and remembered).
   *
   * @throws NotFound for an unknown model, or one whose family has no ONNX export
   */
  WeightsFile get(long id, ModelController.WeightsFormat format) throws IOException {
    WeightsFile w = known(id, format);
    if (w != null) {
      return w;
    }
    PublishedModel m = models.find(id).orElseThrow(() -> new NotFound("id", "no model with id " + id));
    // The ONNX file's hash is only known once it exists: a model published before ONNX files gets it made here.
    StoredArtifact file = format == ModelController.WeightsFormat.ONNX ? onnxFile(m)
        : artifacts.get(m.artifactSha256());
    String filename = (m.space() + "-" + m.archId()).replaceAll("[^A-Za-z0-9._-]", "_") + format.extension;
    w = new WeightsFile(file, "\"" + file.sha256() + "\"",
        ContentDisposition.attachment().filename(filename).build().toString());
    known.get(format).put(id, w);
    return w;
  }

  private StoredArtifact onnxFile(PublishedModel m) throws IOException {
    try {
      return onnxFiles.of(m);
    } catch (SpaceException e) {
      throw new NotFound("format", "model " + m.id() + " has no ONNX file: " + e.getMessage());
    }
  }
}
