package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceRecordRepository;
import io.prenas.data.DataSplit;
import io.prenas.job.JobRecord;
import io.prenas.job.JobRepository;
import io.prenas.job.JobService;
import io.prenas.job.JobType;
import io.prenas.storage.DatasetProperties;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo seeding on an empty database: one pipeline job on the space demo-fmnist, none on a second start. The job
 * server is off here (the role still says worker), so the pipeline is only queued, not trained.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "prenas.demo.enabled=true",
    "prenas.role=worker",
    "jobrunr.background-job-server.enabled=false",
    "prenas.demo.data-dir=/nonexistent/fashion-mnist",
    "prenas.data.dir=${java.io.tmpdir}/prenas-demo-test/${random.uuid}"})
class DemoSeederTest {

  @Autowired
  DemoSeeder seeder;

  @Autowired
  JobRepository jobRows;

  @Autowired
  SpaceRecordRepository spaceRows;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  JobService jobService;

  @Autowired
  JdbcTemplate jdbc;

  final ObjectMapper json = new ObjectMapper();

  @Test
  void seedsOnePipelineOnAnEmptyDatabaseAndNothingOnASecondStart(@TempDir Path fakePackage) throws Exception {
    Path dataRoot = seeder.dataRoot();
    // the start seeded: no package at prenas.demo.data-dir, so the shipped small copy
    List<JobRecord> all = jobRows.findAll();
    assertThat(all).hasSize(1);
    JobRecord job = all.get(0);
    assertThat(job.type()).isEqualTo(JobType.PIPELINE);
    assertThat(job.space()).isEqualTo(DemoSeeder.SPACE);
    assertThat(spaces.exists(DemoSeeder.SPACE)).isTrue();
    JsonNode options = json.readTree(job.options());
    assertThat(options.get("dataPath").asText()).isEqualTo("demo/fashion-mnist-small");
    assertThat(options.get("epochs").asInt()).isEqualTo(15);
    DataSplit split = DataSplit.open(dataRoot.resolve("demo/fashion-mnist-small"), 0.1, 0);
    assertThat(split.train().size()).isEqualTo(2000);
    assertThat(split.validation().size()).isEqualTo(500);

    // a second start (the same check on the same database) submits nothing
    seeder.onReady();
    assertThat(seeder.seed()).isEmpty();
    assertThat(jobRows.count()).isEqualTo(1);
    assertThat(spaceRows.count()).isEqualTo(1);

    // empty again, with the "package" present: its files are linked into the data directory, 6 epochs
    jdbc.update("DELETE FROM jobs");
    jdbc.update("DELETE FROM spaces");
    for (String f : DemoSeeder.IDX_FILES) {
      try (InputStream in = new ClassPathResource("demo/fashion-mnist/" + f).getInputStream()) {
        Files.copy(in, fakePackage.resolve(f));
      }
    }
    DemoSeeder withPackage = new DemoSeeder(spaces, spaceRows, jobRows, jobService,
        new DemoProperties(true, fakePackage.toString(), 0), new RoleProperties("all"), new DatasetProperties(dataRoot));
    JobRecord second = withPackage.seed().orElseThrow();
    JsonNode o2 = json.readTree(jobRows.findById(second.id()).orElseThrow().options());
    assertThat(o2.get("dataPath").asText()).isEqualTo("demo/fashion-mnist");
    assertThat(o2.get("epochs").asInt()).isEqualTo(6);
    assertThat(o2.get("learningRate").asDouble()).isEqualTo(DemoSeeder.DEMO_LEARNING_RATE);
    assertThat(o2.get("warmupEpochs").asDouble()).isEqualTo(DemoSeeder.DEMO_WARMUP_EPOCHS);
    Path linked = dataRoot.resolve("demo/fashion-mnist/train-images-idx3-ubyte.gz");
    assertThat(Files.isSymbolicLink(linked)).isTrue();
    assertThat(Files.readSymbolicLink(linked)).isEqualTo(fakePackage.toAbsolutePath().resolve(
        "train-images-idx3-ubyte.gz"));
    assertThat(withPackage.seed()).isEmpty();
    assertThat(jobRows.count()).isEqualTo(1);
  }
}
