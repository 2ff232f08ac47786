package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCard;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.client.ApiClient;
import io.prenas.client.ApiException;
import io.prenas.client.api.JobsApi;
import io.prenas.client.api.ModelsApi;
import io.prenas.client.api.SpacesApi;
import io.prenas.client.model.JobOptions;
import io.prenas.client.model.JobResponse;
import io.prenas.client.model.JobSubmitRequest;
import io.prenas.client.model.ModelResponse;
import io.prenas.client.model.PreferredResponse;
import io.prenas.client.model.Problem;
import io.prenas.client.model.RegisterSpaceRequest;
import io.prenas.client.model.ReleaseResponse;
import io.prenas.client.model.Row;
import io.prenas.client.model.SelectionJobOptions;
import io.prenas.client.model.SelectionJobSubmitRequest;
import io.prenas.client.model.SpaceResponse;
import io.prenas.client.model.SpaceSummary;
import io.prenas.client.model.WithdrawRequest;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Java client generated at build time from {@code api-spec/openapi.yaml} (openapi-generator, package
 * {@code io.prenas.client}) against the running server: list and register spaces, submit a data-free selection job,
 * poll it to SUCCEEDED, read the preferred table, and ask {@code models/best} (404 problem: nothing published).
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientTest {

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaceCatalog;

  @Autowired
  ModelCatalog catalog;

  @Autowired
  ArtifactStore artifacts;

  @Test
  void theGeneratedClientDrivesASelectionEndToEnd() throws Exception {
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://localhost:" + port);
    client.setReadTimeout(Duration.ofSeconds(30));
    String name = "client-micro-" + UUID.randomUUID().toString().substring(0, 8);
    assertThatThrownBy(() -> new SpacesApi(client).registerSpace(name,
        new RegisterSpaceRequest().name(name).yaml(ApiTestSupport.MICRO_YAML)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + ApiTestSupport.WRITE_KEY));
    SpacesApi spaces = new SpacesApi(client);
    JobsApi jobs = new JobsApi(client);
    ModelsApi models = new ModelsApi(client);

    List<SpaceResponse> builtIn = spaces.listSpaces();
    assertThat(builtIn).extracting(SpaceResponse::getName).contains("autoformer-tiny");

    SpaceResponse registered = spaces.registerSpace(name,
        new RegisterSpaceRequest().name(name).yaml(ApiTestSupport.MICRO_YAML));
    assertThat(registered.getName()).isEqualTo(name);
    assertThat(registered.getBuiltIn()).isFalse();
    assertThat(spaces.getSpace(name).getSupernet().getEmbedDim()).isEqualTo(128);
    SpaceSummary summary = spaces.getSpace(name).getSummary(); // the family's summary, typed
    assertThat(summary.getFamily()).isEqualTo(SpaceSummary.FamilyEnum.VIT);
    assertThat(summary.getSupernet().getEmbedDim()).isEqualTo(128);
    assertThat(summary.getArchitectures()).isPositive();

    // a job request is one of the job types' own schemas, each with only the options of its type
    JobResponse submitted = jobs.submitJob(new JobSubmitRequest(new SelectionJobSubmitRequest()
        .type(SelectionJobSubmitRequest.TypeEnum.SELECTION)
        .space(name)
        .options(new SelectionJobOptions().binMin(0.375).binMax(1.125).binInterval(0.125).candidatesPerBin(1)
            .scoreMode(SelectionJobOptions.ScoreModeEnum.SUBNET))), null);
    assertThat(submitted.getState()).isEqualTo(JobResponse.StateEnum.QUEUED);
    assertThat(submitted.getType()).isEqualTo(JobResponse.TypeEnum.SELECTION);

    JobResponse done = awaitEnd(jobs, submitted.getId());
    assertThat(done.getState()).as(String.valueOf(done.getFailureReason())).isEqualTo(JobResponse.StateEnum.SUCCEEDED);
    assertThat(done.getProgress().getPercent()).isEqualTo(100.0);
    assertThat(done.getPhase()).isEqualTo(JobResponse.PhaseEnum.STORE_PREFERRED); // the phase enum
    assertThat(done.getOptions().getScoreMode()).isEqualTo(JobOptions.ScoreModeEnum.SUBNET); // options typed
    assertThat(done.getMetrics().getPreferred()).isPositive(); // metrics typed
    assertThat(done.getMetrics().getBins().getTopN()).isEqualTo(1);
    assertThat(jobs.listJobs("SUCCEEDED", "selection", name, 0, 20).getItems())
        .extracting(JobResponse::getId).containsExactly(submitted.getId());

    PreferredResponse table = spaces.getPreferredArchitectures(name, null);
    assertThat(table.getJob()).isEqualTo(submitted.getId());
    assertThat(table.getArchitectures()).isNotEmpty();
    for (Row row : table.getArchitectures()) {
      assertThat(row.getRank()).isEqualTo(1);
      // the config is typed
      assertThat(row.getConfig().getEmbedDim()).hasSize(row.getConfig().getLayerNum());
      assertThat(row.getParams()).isPositive();
      assertThat(row.getParams() / 1e6).isBetween(row.getBinLower(), row.getBinUpper());
    }

    // nothing is published for this space: a 404 problem saying so, through the client's exception
    assertThatThrownBy(() -> models.getBestModel(name, 10_000_000L, null, null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(e.getResponseHeaders().firstValue("Content-Type").orElse(""))
              .startsWith("application/problem+json");
          Problem problem = typedProblem(client, e); // the contract's one Problem schema
          assertThat(problem.getStatus()).isEqualTo(404);
          assertThat(problem.getTitle()).isNotBlank();
          assertThat(problem.getDetail()).contains(name);
        });
    assertThatThrownBy(() -> models.getBestModel(name, -1L, null, null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          JsonNode problem = readProblem(e);
          assertThat(problem.get("field").asText()).isEqualTo("maxParams");
        });
  }

  /**
   * A published model's card, its release and its withdrawal, through the typed client: preprocessing, labels,
   * dataset and lineage as typed objects.
   */
  @Test
  void theGeneratedClientReadsACardAndWithdrawsAModel() throws Exception {
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://localhost:" + port);
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + ApiTestSupport.WRITE_KEY));
    String name = "client-card-" + UUID.randomUUID().toString().substring(0, 8);
    spaceCatalog.register(name, ApiTestSupport.MICRO_YAML);
    StoredArtifact weights = artifacts.store(new java.io.ByteArrayInputStream(name.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    io.prenas.data.Preprocessing preprocessing = io.prenas.data.TransformSpec.evaluation(1, 28).forSource(false)
        .preprocessing();
    PublishedModel published = catalog.publish(name, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3}", 1_000, 1e6,
        80.0, 95.0, weights, null, new ModelCard(preprocessing, List.of("T-shirt/top", "Trouser"),
            new ModelCard.Dataset("demo/fashion-mnist", "idx", java.util.Map.of("train", 60_000L, "validation",
                10_000L), "the t10k files", "ef".repeat(32), 4), null, null));
    ModelsApi models = new ModelsApi(client);

    ModelResponse best = models.getBestModel(name, 10_000_000L, null, null);
    assertThat(best.getId()).isEqualTo(published.id());
    io.prenas.client.model.ModelCard card = models.getModel(published.id()).getCard();
    assertThat(card.getPreprocessing().getInput()).containsExactly(1, 28, 28);
    assertThat(card.getPreprocessing().getMean()).containsExactly(0.5);
    assertThat(card.getPreprocessing().getResize().getRule()).isEqualTo("stretch");
    assertThat(card.getPreprocessing().getInterpolation()).isEqualTo("bilinear");
    assertThat(card.getLabels()).containsExactly("T-shirt/top", "Trouser");
    assertThat(card.getDataset().getImages()).containsEntry("validation", 10_000L);
    assertThat(card.getDataset().getFingerprint()).isEqualTo("ef".repeat(32));
    assertThat(card.getRelease()).isEqualTo(best.getRelease());

    List<ReleaseResponse> releases = new SpacesApi(client).listReleases(name);
    assertThat(releases).extracting(ReleaseResponse::getId).containsExactly(best.getRelease());
    assertThat(releases.get(0).getNewest()).isTrue();

    ModelResponse withdrawn = models.withdrawModel(published.id(), new WithdrawRequest().reason("test"));
    assertThat(withdrawn.getWithdrawn()).isTrue();
    assertThat(withdrawn.getWithdrawnReason()).isEqualTo("test");
    assertThatThrownBy(() -> models.getBestModel(name, 10_000_000L, null, null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(typedProblem(client, e).getTitle()).isEqualTo("Every model of the release is withdrawn");
        });
  }

  private static Problem typedProblem(ApiClient client, ApiException e) {
    try {
      return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    } catch (Exception ex) {
      throw new AssertionError(e.getResponseBody(), ex);
    }
  }

  private static JsonNode readProblem(ApiException e) {
    try {
      return ApiTestSupport.JSON.readTree(e.getResponseBody());
    } catch (Exception ex) {
      throw new AssertionError(e.getResponseBody(), ex);
    }
  }

  private static JobResponse awaitEnd(JobsApi jobs, UUID id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
    while (Instant.now().isBefore(deadline)) {
      JobResponse job = jobs.getJob(id);
      if (job.getState() == JobResponse.StateEnum.SUCCEEDED || job.getState() == JobResponse.StateEnum.FAILED
          || job.getState() == JobResponse.StateEnum.CANCELLED) {
        return job;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + id + " did not end in 180 s: " + jobs.getJob(id).getState());
  }
}
