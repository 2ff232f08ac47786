package io.prenas.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.ModelOnnxFiles;
import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceCatalog;
import io.prenas.catalog.SpaceNotFoundException;
import io.prenas.job.JobService;
import io.prenas.job.PreferredTableImport;
import io.prenas.storage.ArtifactStore;
import io.prenas.system.PrenasServer;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.data.domain.Page;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.StringUtils;

/**
 * {@code prenas.security.read-access=key} and {@code prenas.security.protect-metrics=true}: the key filter's decisions
 * for reads, probes and metrics. A web slice (controllers, the security package's filters, mocked services): what is
 * under test is the filter in front of the controllers, so no database, job worker or engine is started.
 */
@WebMvcTest(properties = {"prenas.security.read-access=key", "prenas.security.protect-metrics=true"},
    includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = {"io\\.prenas\\.security\\..*", "io\\.prenas\\.catalog\\.UploadProperties",
            "io\\.prenas\\.api\\.(ModelResponses|WeightsFiles)"}))
@ContextConfiguration(classes = PrenasServer.class)
class KeyedReadsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired
  MockMvc mvc;

  @MockitoBean
  JobService jobs;

  @MockitoBean
  SpaceCatalog spaces;

  @MockitoBean
  PreferredTables preferred;

  @MockitoBean
  ModelCatalog models;

  @MockitoBean
  ArtifactStore artifacts;

  @MockitoBean
  PreferredTableImport preferredImport;

  @MockitoBean
  ModelOnnxFiles onnxFiles;

  /** Empty catalogs: an authorised read reaches its controller and gets a real answer (200, or 404 for an id). */
  @BeforeEach
  void emptyCatalogs() {
    when(spaces.list()).thenReturn(List.of());
    when(spaces.get(anyString())).thenAnswer(call -> {
      throw new SpaceNotFoundException(call.getArgument(0));
    });
    when(jobs.list(any(), any(), any(), any())).thenReturn(Page.empty());
    when(models.search(any(), any(), any(), any(), any())).thenReturn(Page.empty());
    when(models.find(anyLong())).thenReturn(Optional.empty());
  }

  @Test
  void readsNeedAReadOrWriteKey() throws Exception {
    for (String path : new String[] {"/api/v1/spaces", "/api/v1/spaces/autoformer-tiny", "/api/v1/jobs",
        "/api/v1/models", "/api/v1/models/1/weights", "//api/v1/spaces", "/api/v1/../v1/spaces"}) {
      MockHttpServletResponse none = send(get(at(path)), null);
      assertThat(none.getStatus()).as(path).isEqualTo(401);
      assertThat(none.getHeader("WWW-Authenticate")).as(path).isNotNull();
      assertThat(JSON.readTree(none.getContentAsString()).path("field").asText()).isEqualTo("Authorization");
      assertThat(send(get(at(path)), "wrong").getStatus()).as(path).isEqualTo(401);
      assertThat(send(get(at(path)), ApiTestSupport.READ_KEY).getStatus()).as(path).isIn(200, 404);
      assertThat(send(get(at(path)), ApiTestSupport.WRITE_KEY).getStatus()).as(path).isIn(200, 404);
    }
    assertThat(send(head(at("/api/v1/models/1/weights")), null).getStatus()).isEqualTo(401);
    assertThat(send(get(at("/api/v1/spaces")).header("Authorization", "Bearer " + ApiTestSupport.READ_KEY), null)
        .getStatus()).isEqualTo(200);
    // Writes still need the write scope.
    assertThat(send(post(at("/api/v1/jobs")).contentType(MediaType.APPLICATION_JSON).content("{}"),
        ApiTestSupport.READ_KEY).getStatus()).isEqualTo(403);
  }

  /**
   * Probes and the API docs pass the filter without a key, metrics do not. (That the probes answer 200 on the whole
   * server is {@code HealthEndpointTest}'s; this slice has no actuator, so a passed request ends in 404 here.)
   */
  @Test
  void probesAndApiDocsStayOpenMetricsDoNot() throws Exception {
    for (String open : new String[] {"/actuator/health/liveness", "/actuator/health/readiness", "/v3/api-docs"}) {
      assertThat(send(get(at(open)), null).getStatus()).as(open).isNotIn(401, 403);
    }
    assertThat(send(get(at("/actuator/prometheus")), null).getStatus()).isEqualTo(401);
    assertThat(send(get(at("/actuator/prometheus")), ApiTestSupport.READ_KEY).getStatus()).isNotIn(401, 403);
  }

  /** A URI of the path as sent, so that MockMvc keeps a leading {@code //} (as a path, not an authority). */
  private static URI at(String path) {
    return URI.create("http://localhost" + path);
  }

  private MockHttpServletResponse send(MockHttpServletRequestBuilder request, String key) throws Exception {
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return mvc.perform(request.with(asMappedAtRoot())).andReturn().getResponse();
  }

  /**
   * The servlet path a container gives a request to the dispatcher servlet mapped at {@code /}: the request URI with
   * its dot segments resolved (repeated slashes are left for the filter, as Tomcat leaves them). MockMvc leaves the
   * servlet path empty, and the key filter decides by it.
   */
  private static RequestPostProcessor asMappedAtRoot() {
    return request -> {
      request.setServletPath(StringUtils.cleanPath(request.getRequestURI()).replaceFirst("^/?", "/"));
      request.setPathInfo(null);
      return request;
    };
  }
}
