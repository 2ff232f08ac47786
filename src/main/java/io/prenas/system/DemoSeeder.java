package io.prenas.system;

import io.prenas.catalog.CatalogConflictException;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceRecordRepository;
import io.prenas.fileio.AtomicFiles;
import io.prenas.job.JobCommand;
import io.prenas.job.JobOptions;
import io.prenas.job.JobRecord;
import io.prenas.job.JobRepository;
import io.prenas.job.JobService;
import io.prenas.job.JobType;
import io.prenas.storage.DatasetProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The out-of-the-box demo: on an empty database (no registered space, no job) a server that runs jobs (role
 * {@code worker} or {@code all}) registers the small ViT space {@value #SPACE} for Fashion-MNIST and submits one
 * {@code pipeline} job on it, so that {@code models/best?space=demo-fmnist&maxParams=...} returns trained weights
 * within minutes of the first start.
 *
 * <p>Data: jobs only read folders under {@code prenas.data.dir} (a job option can never name another path). The
 * seeder itself puts the demo data there: when {@code prenas.demo.data-dir} (default: the Debian package's
 * {@code /usr/share/datasets/fashion-mnist}) holds the four IDX files they are linked (or copied) into
 * {@code <data dir>/demo/fashion-mnist}; otherwise the small copy shipped with the project (the first 2,000 training
 * and 500 test images, MIT licence, Zalando Research) is written to {@code <data dir>/demo/fashion-mnist-small}.
 *
 * <p>Idempotent: a second start finds the space (or any job) and does nothing; the submit also carries a fixed
 * {@code Idempotency-Key}, so two workers starting at once on the same empty database still make one job.
 * {@code prenas.demo.enabled=false} (env {@code PRENAS_DEMO_ENABLED=false}) turns it off.
 */
@Component
public class DemoSeeder {

  public static final String SPACE = "demo-fmnist";
  public static final String IDEMPOTENCY_KEY = "prenas-demo-seed";
  static final String FULL_DIR = "demo/fashion-mnist";
  static final String SMALL_DIR = "demo/fashion-mnist-small";
  static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

  private final SpaceCatalog spaces;
  private final SpaceRecordRepository spaceRows;
  private final JobRepository jobRows;
  private final JobService jobs;
  private final boolean enabled;
  private final Path dataRoot;
  private final Path packageDir;
  /** The demo's peak learning rate and warm-up (job options), tuned for Fashion-MNIST (README, Quick start). */
  static final double DEMO_LEARNING_RATE = 2e-3;
  static final double DEMO_WARMUP_EPOCHS = 0.3;

  private final int epochs;

  DemoSeeder(SpaceCatalog spaces, SpaceRecordRepository spaceRows, JobRepository jobRows, JobService jobs,
      DemoProperties demo, RoleProperties role, DatasetProperties datasets) {
    this.spaces = spaces;
    this.spaceRows = spaceRows;
    this.jobRows = jobRows;
    this.jobs = jobs;
    this.enabled = demo.enabled() && role.runsJobs();
    this.dataRoot = datasets.dir().toAbsolutePath().normalize();
    this.packageDir = demo.dataDir() == null || demo.dataDir().isBlank() ? null : Path.of(demo.dataDir());
    this.epochs = demo.epochs();
  }

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    if (!enabled) {
      return;
    }
    try {
      seed();
    } catch (Exception e) {
      LOG.warn("demo seeding failed (the server runs without it): {}", e.toString());
    }
  }

  /**
   * Seeds the demo when the database is empty.
   *
   * @return the submitted pipeline job, or empty when the database already had a space or a job
   */
  public synchronized Optional<JobRecord> seed() throws IOException {
    if (spaceRows.count() > 0 || jobRows.count() > 0) {
      LOG.debug("demo not seeded: the database already holds spaces or jobs");
      return Optional.empty();
    }
    boolean full = hasAllFiles(packageDir);
    String dataPath = full ? linkPackage() : extractSmallCopy();
    String yaml;
    try (InputStream in = new ClassPathResource("demo/fmnist-vit.yaml").getInputStream()) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      spaces.register(SPACE, yaml);
    } catch (CatalogConflictException e) {
      LOG.debug("demo space already registered by another server");
    }
    // Full set: 6 epochs at batch 128 (2,808 steps); small copy: 2,000 images, so more epochs (16 steps each).
    int e = epochs > 0 ? epochs : full ? 6 : 15;
    // The reference's learning rate (5e-4 per 512 images, 1.25e-4 at batch 128) is made for ImageNet over 300
    // epochs; a tiny ViT on 28x28 images in a few epochs needs a larger one and a short warm-up.
    JobOptions options = new JobOptions(dataPath, 0.1, 0.7, 0.15, 1, null, e, 128, "balanced", 0L, null, null, null,
        null, DEMO_LEARNING_RATE, DEMO_WARMUP_EPOCHS);
    JobService.Submitted submitted = jobs.submit(new JobCommand(JobType.PIPELINE, SPACE, options), IDEMPOTENCY_KEY);
    LOG.info("demo seeded: space '{}' and pipeline job {} on {} ({} epochs); then GET /api/v1/models/best?space={}"
        + "&maxParams=700000", SPACE, submitted.job().id(), full ? packageDir : "the shipped 2,000-image copy", e,
        SPACE);
    return Optional.of(submitted.job());
  }

  /** The data directory the demo's folders are put under ({@code prenas.data.dir}). */
  Path dataRoot() {
    return dataRoot;
  }

  private static boolean hasAllFiles(Path dir) {
    return dir != null && IDX_FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  /** Links (or, where links fail, copies) the package's four files into the data directory. */
  private String linkPackage() throws IOException {
    Path target = dataRoot.resolve(FULL_DIR);
    Files.createDirectories(target);
    for (String f : IDX_FILES) {
      Path link = target.resolve(f);
      Path source = packageDir.toAbsolutePath().resolve(f);
      if (Files.isSymbolicLink(link) || Files.exists(link)) {
        Files.delete(link); // the package may have moved; link afresh
      }
      try {
        Files.createSymbolicLink(link, source);
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(source, link, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return FULL_DIR;
  }

  private String extractSmallCopy() throws IOException {
    Path target = dataRoot.resolve(SMALL_DIR);
    Files.createDirectories(target);
    for (String f : IDX_FILES) {
      try (InputStream in = new ClassPathResource("demo/fashion-mnist/" + f).getInputStream()) {
        AtomicFiles.write(target.resolve(f), AtomicFiles.Sync.NONE, in::transferTo);
      }
    }
    return SMALL_DIR;
  }
}
