package io.prenas.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml: its structure read as YAML (anchors and merge keys resolved), and, where Debian's
 * {@code docker-compose} (v1) is installed, its own validation ({@code config -q}, which needs no engine).
 */
class ComposeFileTest {

  private static final Path COMPOSE = Path.of("docker-compose.yml");
  private static final Path ENV_EXAMPLE = Path.of(".env.example");
  private static final Pattern REQUIRED_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]+}");
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|API_?KEYS?)$");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws IOException {
    return new Yaml().load(Files.readString(COMPOSE));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node, String key) {
    Object value = ((Map<String, Object>) node).get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @Test
  void postgresAndTheTwoRolesOfOneImageStartInOrderOfHealth() throws IOException {
    Map<String, Object> services = map(compose(), "services");

    assertThat(services).containsOnlyKeys("db", "api", "worker");
    assertThat((String) map(services, "db").get("image")).startsWith("postgres:16");
    assertThat(map(map(services, "db"), "healthcheck").get("test").toString()).contains("pg_isready");
    assertThat(map(services, "api").get("image")).isEqualTo(map(services, "worker").get("image"));
    for (String role : List.of("api", "worker")) {
      Map<String, Object> service = map(services, role);
      Map<String, Object> env = map(service, "environment");
      assertThat(env).containsEntry("PRENAS_ROLE", role)
          .containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
              "PRENAS_SECURITY_API_KEYS");
      assertThat((String) env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://db:5432/");
      assertThat(map(map(service, "depends_on"), "db")).containsEntry("condition", "service_healthy");
      assertThat(map(service, "healthcheck").get("test").toString()).contains("/actuator/health/readiness");
    }
  }

  @Test
  void theDashboardIsPublishedOnTheHostsLoopbackAndAsksForAKey() throws IOException {
    Map<String, Object> worker = map(map(compose(), "services"), "worker");
    // 0.0.0.0 inside the container (else the published port reaches nothing), which makes the dashboard ask for a
    // write key; the host publishes it on its loopback only.
    assertThat(map(worker, "environment")).containsEntry("PRENAS_DASHBOARD_ADDRESS", "0.0.0.0");
    assertThat(map(worker, "environment")).containsEntry("JDK_JAVA_OPTIONS", "-Xmn64m");
    assertThat((List<?>) worker.get("ports")).singleElement().asString().startsWith("127.0.0.1:").endsWith(":8000");
  }

  @Test
  void theApiPublishesItsPortAndTheServingPort() throws IOException {
    Map<String, Object> api = map(map(compose(), "services"), "api");
    assertThat((List<?>) api.get("ports")).map(Object::toString)
        .anySatisfy(p -> assertThat(p).endsWith(":8080"))
        .anySatisfy(p -> assertThat(p).endsWith(":8081"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void dataLivesInNamedVolumes() throws IOException {
    Map<String, Object> root = compose();
    Map<String, Object> services = map(root, "services");

    assertThat(map(root, "volumes")).containsOnlyKeys("db-data", "artifacts", "datasets");
    assertThat((List<Object>) map(services, "db").get("volumes")).contains("db-data:/var/lib/postgresql/data");
    assertThat((List<Object>) map(services, "api").get("volumes")).contains("artifacts:/data/artifacts");
    assertThat((List<Object>) map(services, "worker").get("volumes"))
        .contains("artifacts:/data/artifacts", "datasets:/data/datasets");
    assertThat(map(map(services, "api"), "environment")).containsEntry("PRENAS_STORAGE_DIR", "/data/artifacts");
    assertThat(map(map(services, "worker"), "environment")).containsEntry("PRENAS_DATA_DIR", "/data/datasets");
  }

  @Test
  void secretsComeOnlyFromTheEnvironmentAndTheExampleNamesThemAll() throws IOException {
    Map<String, Object> services = map(compose(), "services");
    for (String name : services.keySet()) {
      map(map(services, name), "environment").forEach((key, value) -> {
        if (SECRET_NAME.matcher(key).matches()) {
          assertThat(String.valueOf(value)).as("%s.%s", name, key).matches(REQUIRED_VAR.pattern());
        }
      });
    }
    Map<String, String> example = envFile(ENV_EXAMPLE);
    Matcher m = REQUIRED_VAR.matcher(Files.readString(COMPOSE));
    int required = 0;
    while (m.find()) {
      assertThat(example).as(".env.example").containsKey(m.group(1));
      required++;
    }
    assertThat(required).isGreaterThanOrEqualTo(2);
    assertThat(Path.of(".gitignore")).content().containsPattern("(?m)^/?\\.env$");
  }

  @Test
  void dockerComposeValidatesTheFileOfflineAndRefusesAMissingPassword(@TempDir Path dir) throws Exception {
    assumeThat(onPath("docker-compose")).as("Debian package docker-compose not installed; check skipped")
        .isTrue();
    // A copy, so that a developer's own .env beside the real file plays no part.
    Files.copy(COMPOSE, dir.resolve("docker-compose.yml"));
    Map<String, String> example = envFile(ENV_EXAMPLE);

    Result ok = dockerCompose(dir, example);
    assertThat(ok.code()).as(ok.output()).isZero();

    Map<String, String> noPassword = new LinkedHashMap<>(example);
    noPassword.remove("POSTGRES_PASSWORD");
    Result refused = dockerCompose(dir, noPassword);
    assertThat(refused.code()).isNotZero();
    assertThat(refused.output()).contains("POSTGRES_PASSWORD");
  }

  private record Result(int code, String output) {}

  private static Result dockerCompose(Path dir, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("POSTGRES_") || k.startsWith("PRENAS_")
        || k.startsWith("COMPOSE_") || k.startsWith("DOCKER_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  /** KEY=VALUE lines of an env file (comments and blanks skipped). */
  static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        int eq = l.indexOf('=');
        env.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return env;
  }
}
