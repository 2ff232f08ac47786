package io.prenas.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job attempt's own folder for work files ({@code <storage>/jobs/<id>/}: checkpoints before they are stored,
 * exported subnets), removed when the attempt ends. What must outlive the attempt is stored as an artifact.
 */
final class JobWorkFolder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobWorkFolder.class);

  private final Path dir;

  JobWorkFolder(Path storageRoot, UUID jobId) {
    this.dir = storageRoot.resolve("jobs").resolve(jobId.toString());
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() {
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
}
