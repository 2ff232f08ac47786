package io.prenas.api;

import static io.prenas.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.system.PrenasServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The artifact storage on a real small file system (a 16 MB tmpfs, mounted by the test; skipped where the test may
 * not mount): a full disk and a read-only file system fail a training job at once, with a reason that says so and
 * names the directory, answer an upload with 507, leave no partial file, and the server carries on once the
 * storage is fixed.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class StorageFaultsTest {

  static final Path PICO = Path.of("src/test/resources/spaces/pico.yaml");

  static Path storage;
  static boolean mounted;

  @DynamicPropertySource
  static void smallDisk(DynamicPropertyRegistry registry) throws Exception {
    storage = Files.createTempDirectory("prenas-small-disk-");
    mounted = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", storage.toString());
    registry.add("prenas.storage.dir", storage::toString);
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mounted) {
      run("umount", "-l", storage.toString()); // lazy: the context, closed after this, may still hold it
    }
  }

  @LocalServerPort
  int port;

  @Value("${prenas.data.dir}")
  Path dataRoot;

  ApiTestSupport http;
  String space;
  String selectionJob;
  Path filler;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(mounted, "needs root and mount(8) for a small tmpfs");
    http = new ApiTestSupport(port);
    space = "pico-disk-" + System.nanoTime();
    HttpResponse<String> r = http.postJson("/api/v1/spaces", Map.of("name", space, "yaml", Files.readString(PICO)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    TrainingJobsTest.writeIdx(dataRoot.resolve(space), "train", 32, 1);
    TrainingJobsTest.writeIdx(dataRoot.resolve(space), "t10k", 16, 2);
    JsonNode selection = http.awaitEnd(submit("selection", Map.of("batchSize", 8)), 240);
    assertThat(selection.get("state").asText()).as(selection.toString()).isEqualTo("SUCCEEDED");
    selectionJob = selection.get("id").asText();
    filler = storage.resolve("filler");
  }

  @AfterEach
  void restore() throws Exception {
    if (mounted) {
      run("mount", "-o", "remount,rw", storage.toString());
      Files.deleteIfExists(filler);
    }
  }

  @Test
  void aFullDiskFailsTheJobWithAClearReasonAndTheServerCarriesOnOnceThereIsRoom() throws Exception {
    fillLeaving(16 * 1024);
    long filesBefore = visibleFiles();

    JsonNode failed = http.awaitEnd(submit("training", trainingOptions()), 240);
    assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asText()).startsWith("storage: the disk is full")
        .contains(storage.toString());
    assertThat(failed.get("attempts").asInt()).as("not retried into the same wall").isEqualTo(1);
    fillLeaving(16 * 1024); // the failed job's work folder was removed: take that room too
    assertUploadRefused("the disk is full");
    assertThat(visibleFiles()).as("no partial file").isEqualTo(filesBefore);
    assertThat(incoming()).isEmpty();

    Files.delete(filler);
    JsonNode ok = http.awaitEnd(submit("training", trainingOptions()), 240);
    assertThat(ok.get("state").asText()).as(ok.toString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aReadOnlyStorageFailsTheJobWithAClearReason() throws Exception {
    assertThat(run("mount", "-o", "remount,ro", storage.toString())).isTrue();

    JsonNode failed = http.awaitEnd(submit("training", trainingOptions()), 240);
    assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asText()).startsWith("storage: the file system is read-only");
    assertUploadRefused("read-only");
    assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

    assertThat(run("mount", "-o", "remount,rw", storage.toString())).isTrue();
    JsonNode ok = http.awaitEnd(submit("training", trainingOptions()), 240);
    assertThat(ok.get("state").asText()).as(ok.toString()).isEqualTo("SUCCEEDED");
  }

  private Map<String, Object> trainingOptions() {
    return Map.of("dataPath", space, "epochs", 2, "batchSize", 8, "seed", 1, "selectionJob", selectionJob);
  }

  private void assertUploadRefused(String why) throws Exception {
    HttpResponse<String> r = http.postBytes("/api/v1/spaces/" + space + "/supernet", "application/octet-stream",
        new byte[512 * 1024]);
    assertThat(r.statusCode()).as("%s (free: %d bytes)", r.body(), Files.getFileStore(storage).getUsableSpace())
        .isEqualTo(507);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(json(r).get("detail").asText()).contains(why).doesNotContain(storage.toString());
  }

  /** Fills the file system up to {@code free} bytes (appending to the filler, so it can top up after a cleanup). */
  private void fillLeaving(long free) throws IOException {
    long usable = Files.getFileStore(storage).getUsableSpace();
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      f.seek(f.length());
      byte[] block = new byte[1 << 16];
      long left = usable - free;
      while (left > 0) {
        int n = (int) Math.min(block.length, left);
        f.write(block, 0, n);
        left -= n;
      }
    }
  }

  private long visibleFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(storage)) {
      return walk.filter(Files::isRegularFile).filter(p -> !p.equals(filler))
          .filter(p -> !storage.relativize(p).startsWith(".incoming")).count();
    }
  }

  private List<Path> incoming() throws IOException {
    try (Stream<Path> s = Files.list(storage.resolve(".incoming"))) {
      return s.toList();
    }
  }

  private String submit(String type, Map<String, Object> options) throws Exception {
    HttpResponse<String> r = http.postJson("/api/v1/jobs", Map.of("type", type, "space", space, "options", options));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
