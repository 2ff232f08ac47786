package io.prenas.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart through the helm library itself (helm-java bundles it; run in a child JVM, see
 * {@link HelmProcess}): {@code helm lint --strict} and {@code helm template}, the output read strictly into the
 * Kubernetes model ({@link StrictManifests}) and checked for what the deployment relies on.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("helm", "prenas");
  private static final Path CI_VALUES = Path.of("src", "test", "resources", "deploy", "values-ci.yaml");
  private static final Path GPU_VALUES = Path.of("src", "test", "resources", "deploy", "values-gpu.yaml");

  private static List<HasMetadata> render(Path values) {
    String yaml = HelmProcess.template(CHART, "demo", "nas", values);
    return StrictManifests.read(yaml);
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
    return all(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " not rendered"));
  }

  private static Map<String, EnvVar> env(Container c) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e));
    return env;
  }

  @Test
  void lintPassesStrictlyWithTheValuesAnInstallMustSet(@TempDir Path dir) throws IOException {
    // helm-java's lint takes no values file: lint a copy of the chart whose values.yaml has them merged in.
    Path copy = copyChart(dir);
    Map<String, Object> values = new Yaml().load(Files.readString(copy.resolve("values.yaml")));
    merge(values, new Yaml().load(Files.readString(CI_VALUES)));
    DumperOptions block = new DumperOptions();
    block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(copy.resolve("values.yaml"), new Yaml(block).dump(values));

    LintResult lint = HelmProcess.lint(copy, true);

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void lintPassesStrictlyOnTheChartAsShipped() {
    // helm lint reports values that templates mark required as information only, so this checks the rest.
    LintResult lint = HelmProcess.lint(CHART, true);

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void defaultInstallRendersValidApiAndWorkerWithProbesNonRootAndSharedStorage() {
    List<HasMetadata> resources = render(CI_VALUES);

    assertThat(resources).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ConfigMap", "Secret",
        "PersistentVolumeClaim", "Service", "Deployment", "Deployment", "PodDisruptionBudget",
        "PodDisruptionBudget");
    Deployment api = one(resources, Deployment.class, "demo-prenas-api");
    Deployment worker = one(resources, Deployment.class, "demo-prenas-worker");
    assertThat(api.getSpec().getReplicas()).isEqualTo(2);
    assertThat(worker.getSpec().getReplicas()).isEqualTo(1);

    for (Deployment d : List.of(api, worker)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(d.getSpec().getSelector().getMatchLabels()).isNotEmpty()
          .allSatisfy((k, v) -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(k, v));
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
      assertProbe(c.getLivenessProbe(), "/actuator/health/liveness");
      assertProbe(c.getStartupProbe(), "/actuator/health/liveness");
      assertProbe(c.getReadinessProbe(), "/actuator/health/readiness");
      assertThat(c.getPorts()).anySatisfy(p -> {
        assertThat(p.getName()).isEqualTo("http");
        assertThat(p.getContainerPort()).isEqualTo(8080);
      });
      Map<String, EnvVar> env = env(c);
      assertThat(env.get("SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("demo-prenas");
      assertThat(env.get("PRENAS_SECURITY_API_KEYS").getValueFrom().getSecretKeyRef().getKey())
          .isEqualTo("api-keys");
      assertThat(c.getEnvFrom()).singleElement()
          .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("demo-prenas"));
      assertThat(claim(pod, "artifacts")).isEqualTo("demo-prenas-artifacts");
      assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }
    assertThat(env(api.getSpec().getTemplate().getSpec().getContainers().get(0)).get("PRENAS_ROLE").getValue())
        .isEqualTo("api");
    assertThat(env(worker.getSpec().getTemplate().getSpec().getContainers().get(0)).get("PRENAS_ROLE").getValue())
        .isEqualTo("worker");
    // a worker trains in its own JVM: a fixed young generation keeps its resident memory flat
    assertThat(env(worker.getSpec().getTemplate().getSpec().getContainers().get(0)).get("JDK_JAVA_OPTIONS")
        .getValue()).isEqualTo("-Xmn64m");
    assertThat(env(api.getSpec().getTemplate().getSpec().getContainers().get(0))).doesNotContainKey(
        "JDK_JAVA_OPTIONS");

    Service service = one(resources, Service.class, "demo-prenas-api");
    assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "api");
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    // the serving port: on api pods only (a worker opens none), and in the Service
    assertThat(service.getSpec().getPorts().get(1).getName()).isEqualTo("serving");
    assertThat(service.getSpec().getPorts().get(1).getPort()).isEqualTo(8081);
    assertThat(service.getSpec().getPorts().get(1).getTargetPort().getStrVal()).isEqualTo("serving");
    assertThat(api.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("serving");
      assertThat(p.getContainerPort()).isEqualTo(8081);
    });

    PersistentVolumeClaim pvc = one(resources, PersistentVolumeClaim.class, "demo-prenas-artifacts");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");

    assertThat(one(resources, PodDisruptionBudget.class, "demo-prenas-api").getSpec().getMinAvailable().getIntVal())
        .isEqualTo(1);
    assertThat(one(resources, PodDisruptionBudget.class, "demo-prenas-worker").getSpec().getSelector()
        .getMatchLabels()).containsEntry("app.kubernetes.io/component", "worker");
  }

  @Test
  void secretsStayInTheSecretAndOutOfTheConfigMap() {
    List<HasMetadata> resources = render(CI_VALUES);

    ConfigMap config = one(resources, ConfigMap.class, "demo-prenas");
    assertThat(config.getData()).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres.db.svc:5432/prenas")
        .containsEntry("PRENAS_STORAGE_DIR", "/data/artifacts")
        .containsEntry("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10")
        .doesNotContainKeys("SPRING_DATASOURCE_PASSWORD", "PRENAS_SECURITY_API_KEYS");
    assertThat(config.getData().values()).noneMatch(v -> v.contains("test-only-password") || v.contains(":read:"));

    Secret secret = one(resources, Secret.class, "demo-prenas");
    assertThat(decode(secret.getData().get("database-password"))).isEqualTo("test-only-password");
    assertThat(decode(secret.getData().get("api-keys"))).startsWith("ci:read:");
  }

  @Test
  void gpuWorkersWithExistingSecretAndClaim() {
    List<HasMetadata> resources = render(GPU_VALUES);

    assertThat(all(resources, Secret.class)).as("no Secret when existingSecret is set").isEmpty();
    assertThat(all(resources, PersistentVolumeClaim.class)).as("no PVC when existingClaim is set").isEmpty();
    assertThat(all(resources, PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
        .containsExactly("demo-prenas-worker");

    Deployment worker = one(resources, Deployment.class, "demo-prenas-worker");
    PodSpec pod = worker.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(worker.getSpec().getReplicas()).isEqualTo(2);
    assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"))
        .containsKey("memory");
    assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    Map<String, EnvVar> env = env(c);
    assertThat(env.get("PRENAS_TRAINING_DEVICE").getValue()).isEqualTo("gpu0");
    assertThat(env.get("PRENAS_DASHBOARD_ENABLED").getValue()).isEqualTo("true");
    assertThat(env.get("PRENAS_DASHBOARD_PORT").getValue()).isEqualTo("8000");
    assertThat(env.get("PRENAS_DASHBOARD_ADDRESS").getValue()).as("loopback unless a deployment opens it")
        .isEqualTo("127.0.0.1");
    assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8000));
    assertThat(env.get("SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("prenas-credentials");
    assertThat(claim(pod, "artifacts")).isEqualTo("prenas-artifacts-rwx");
    assertThat(claim(pod, "datasets")).isEqualTo("prenas-datasets");

    Deployment api = one(resources, Deployment.class, "demo-prenas-api");
    assertThat(claim(api.getSpec().getTemplate().getSpec(), "artifacts")).isEqualTo("prenas-artifacts-rwx");
    assertThat(api.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
        .doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void aMissingDatabaseUrlOrPasswordIsRefusedByName(@TempDir Path dir) throws IOException {
    Path noUrl = Files.writeString(dir.resolve("no-url.yaml"), "database:\n  password: x\n");
    Path noPassword = Files.writeString(dir.resolve("no-password.yaml"), "database:\n  url: jdbc:postgresql://h/d\n");

    assertThatThrownBy(() -> HelmProcess.template(CHART, "demo", "nas", noUrl))
        .hasMessageContaining("database.url is required");
    assertThatThrownBy(() -> HelmProcess.template(CHART, "demo", "nas", noPassword))
        .hasMessageContaining("database.password is required unless existingSecret is set");
  }

  @Test
  void unknownFieldsInAManifestAreCaught() {
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec:
          ports: [{port: 80, targetPort: http}]
          selectr: {app: x}
        """;

    assertThatThrownBy(() -> StrictManifests.read(yaml)).hasMessageContaining("selectr");
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as(path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  private static String claim(PodSpec pod, String volume) {
    Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElseThrow();
    return v.getPersistentVolumeClaim().getClaimName();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static Path copyChart(Path dir) throws IOException {
    Path target = dir.resolve("prenas");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path p : files.toList()) {
        Path t = target.resolve(CHART.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    from.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
        merge((Map<String, Object>) existing, (Map<String, Object>) m);
      } else {
        into.put(k, v);
      }
    });
  }
}
