package io.prenas.api;

import static io.prenas.api.ApiTestSupport.MICRO_YAML;
import static io.prenas.api.ApiTestSupport.json;
import static io.prenas.api.SpacesApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.catalog.ModelCard;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import io.prenas.system.PrenasServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Releases and withdrawal over HTTP: two publications of one space on different data are two releases; best and the
 * model list answer within the newest complete one unless ?release= pins another, never mixing them; a release still
 * publishing is not the default; a withdrawn model leaves best at once and stays downloadable, marked; a release with
 * every model withdrawn is a 404, not a silent fallback.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReleasesApiTest {

  @LocalServerPort
  int port;

  @Autowired
  SpaceCatalog spaces;

  @Autowired
  ModelCatalog models;

  @Autowired
  ArtifactStore artifacts;

  @Autowired
  JdbcTemplate jdbc;

  ApiTestSupport http;
  String space;

  @BeforeEach
  void setUp() {
    http = new ApiTestSupport(port);
    space = "releases-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(space, MICRO_YAML);
  }

  @Test
  void twoReleasesOnDifferentDataAreNeverMixed() throws Exception {
    UUID older = job();
    PublishedModel oldBest = publish(older, "aa", 1_000, 90.0);
    PublishedModel oldOther = publish(older, "aa", 2_000, 80.0);
    models.completeRelease(older);
    String bestUrl = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    assertThat(json(http.get(bestUrl)).get("id").asLong()).isEqualTo(oldBest.id());

    UUID newer = job();
    PublishedModel newA = publish(newer, "bb", 1_500, 60.0);
    assertThat(json(http.get(bestUrl)).get("id").asLong()).as("a release still publishing is not the default")
        .isEqualTo(oldBest.id());
    PublishedModel newB = publish(newer, "bb", 3_000, 70.0);
    models.completeRelease(newer);

    // the newest release answers, although the older one has a more accurate model
    JsonNode best = json(http.get(bestUrl));
    assertThat(best.get("id").asLong()).isEqualTo(newB.id());
    assertThat(best.get("release").asText()).isEqualTo(newer.toString());
    assertThat(best.at("/card/dataset/fingerprint").asText()).isEqualTo("bb".repeat(32));
    assertThat(json(http.get("/api/v1/models/best?space=" + space + "&maxParams=2000")).get("id").asLong())
        .isEqualTo(newA.id());
    JsonNode noFit = assertProblem(http.get("/api/v1/models/best?space=" + space + "&maxParams=1200"), 404, null);
    assertThat(noFit.get("minimalMaxParams").asLong()).as("within the newest release only").isEqualTo(1_500);
    assertThat(ids(json(http.get("/api/v1/models?space=" + space)))).containsExactly(newA.id(), newB.id());

    // pinned: the older release, and only it
    String pinned = "&release=" + older;
    assertThat(json(http.get(bestUrl + pinned)).get("id").asLong()).isEqualTo(oldBest.id());
    assertThat(ids(json(http.get("/api/v1/models?space=" + space + pinned))))
        .containsExactly(oldBest.id(), oldOther.id());
    assertThat(ids(json(http.get("/api/v1/models?release=" + older)))).containsExactly(oldBest.id(), oldOther.id());

    JsonNode releases = json(http.get("/api/v1/spaces/" + space + "/releases"));
    assertThat(releases).hasSize(2);
    assertThat(releases.get(0).get("id").asText()).isEqualTo(newer.toString());
    assertThat(releases.get(0).get("job").asText()).isEqualTo(newer.toString());
    assertThat(releases.get(0).get("datasetFingerprint").asText()).isEqualTo("bb".repeat(32));
    assertThat(releases.get(0).get("models").asLong()).isEqualTo(2);
    assertThat(releases.get(0).get("newest").asBoolean()).isTrue();
    assertThat(releases.get(0).get("publishedAt").isNull()).isFalse();
    assertThat(releases.get(1).get("id").asText()).isEqualTo(older.toString());
    assertThat(releases.get(1).get("datasetFingerprint").asText()).isEqualTo("aa".repeat(32));
    assertThat(releases.get(1).get("newest").asBoolean()).isFalse();

    // bad, unknown and foreign releases are named
    assertProblem(http.get(bestUrl + "&release=nope"), 400, "release");
    JsonNode unknown = assertProblem(http.get(bestUrl + "&release=" + UUID.randomUUID()), 404, "release");
    assertThat(unknown.get("title").asText()).isEqualTo("Unknown release");
    assertProblem(http.get("/api/v1/models?space=" + space + "&release=" + UUID.randomUUID()), 404, "release");
    String otherSpace = "releases-other-" + UUID.randomUUID().toString().substring(0, 8);
    spaces.register(otherSpace, MICRO_YAML);
    JsonNode foreign = assertProblem(http.get("/api/v1/models/best?space=" + otherSpace + "&maxParams=1e9"
        + pinned), 422, "release");
    assertThat(foreign.get("detail").asText()).contains(space, otherSpace);
    assertProblem(http.get("/api/v1/models?space=" + otherSpace + pinned), 422, "release");
    assertThat(json(http.get("/api/v1/spaces/" + otherSpace + "/releases"))).isEmpty();
    assertProblem(http.get("/api/v1/spaces/no-such-space/releases"), 404, "space");
  }

  @Test
  void aWithdrawnModelLeavesBestAtOnceAndStaysDownloadable() throws Exception {
    UUID release = job();
    PublishedModel first = publish(release, "cc", 1_000, 90.0);
    PublishedModel second = publish(release, "cc", 1_000, 80.0);
    models.completeRelease(release);
    String bestUrl = "/api/v1/models/best?space=" + space + "&maxParams=1e9";
    String withdraw = "/api/v1/models/" + first.id() + "/withdraw";
    assertThat(json(http.get(bestUrl)).get("id").asLong()).isEqualTo(first.id());

    assertProblem(http.postJson(withdraw, Map.of()), 400, "reason");
    assertProblem(http.postJson(withdraw, Map.of("reason", "  ")), 400, "reason");
    assertProblem(http.post(withdraw, "application/json", ""), 400, "reason");
    assertProblem(http.postJson(withdraw, Map.of("reason", "x".repeat(1001))), 400, "reason");
    assertProblem(http.postJson("/api/v1/models/999999999/withdraw", Map.of("reason", "r")), 404, "id");
    assertProblem(http.withKey(ApiTestSupport.READ_KEY).postJson(withdraw, Map.of("reason", "r")), 403,
        "Authorization");
    assertThat(json(http.get(bestUrl)).get("id").asLong()).as("nothing withdrawn yet").isEqualTo(first.id());

    var done = http.postJson(withdraw, Map.of("reason", "mislabelled validation data"));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).get("withdrawn").asBoolean()).isTrue();
    assertThat(json(http.get(bestUrl)).get("id").asLong()).isEqualTo(second.id());

    JsonNode read = json(http.get("/api/v1/models/" + first.id()));
    assertThat(read.get("withdrawn").asBoolean()).isTrue();
    assertThat(read.get("withdrawnReason").asText()).isEqualTo("mislabelled validation data");
    assertThat(read.get("withdrawnAt").isNull()).isFalse();
    assertThat(http.getBytes("/api/v1/models/" + first.id() + "/weights").statusCode()).isEqualTo(200);
    assertThat(json(http.get("/api/v1/models/" + second.id())).get("withdrawn").asBoolean()).isFalse();

    // again: idempotent, the first reason and time kept
    JsonNode again = json(http.postJson(withdraw, Map.of("reason", "another reason")));
    assertThat(again.get("withdrawnReason").asText()).isEqualTo("mislabelled validation data");
    assertThat(again.get("withdrawnAt").asText()).isEqualTo(read.get("withdrawnAt").asText());

    // every model of the newest release withdrawn: a 404 naming the release, no fallback to an older release
    UUID older = job();
    publish(older, "dd", 500, 99.0);
    models.completeRelease(older);
    jdbc.update("UPDATE releases SET published_at = published_at - interval '1 day' WHERE id = ?", older);
    assertThat(http.postJson("/api/v1/models/" + second.id() + "/withdraw", Map.of("reason", "superseded"))
        .statusCode()).isEqualTo(200);
    JsonNode gone = assertProblem(http.get(bestUrl), 404, "release");
    assertThat(gone.get("detail").asText()).contains(release.toString(), "2 of its 2 models are withdrawn",
        "?release=");
    assertThat(json(http.get(bestUrl + "&release=" + older)).get("release").asText()).isEqualTo(older.toString());
    JsonNode releases = json(http.get("/api/v1/spaces/" + space + "/releases"));
    assertThat(releases.get(0).get("withdrawn").asLong()).isEqualTo(2);
    assertThat(ids(json(http.get("/api/v1/models?space=" + space)))).as("withdrawn models stay listed")
        .containsExactly(first.id(), second.id());
  }

  private UUID job() {
    UUID id = UUID.randomUUID();
    jdbc.update("INSERT INTO jobs (id, type, state, space, options, created_at, updated_at) "
        + "VALUES (?, 'EVALUATION', 'SUCCEEDED', ?, '{}'::jsonb, now(), now())", id, space);
    return id;
  }

  /** A model of a job's release, evaluated on data whose fingerprint is {@code fp} repeated. */
  private PublishedModel publish(UUID job, String fp, long params, double top1) throws Exception {
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream((space + job + params + top1)
        .getBytes(StandardCharsets.UTF_8)), ArtifactKind.SUBNET_WEIGHTS, 1 << 20);
    ModelCard card = new ModelCard(null, List.of("a", "b"), new ModelCard.Dataset("data/" + fp, "idx",
        Map.of("validation", 10L), "the t10k files", fp.repeat(32), 4),
        new ModelCard.Lineage(null, null, job, null), job);
    return models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3}", params, 1e6, top1, top1, stored, job,
        card);
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> out = new ArrayList<>();
    page.get("items").forEach(m -> out.add(m.get("id").asLong()));
    return out;
  }
}
