package io.prenas.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.cli.PrenasCli;
import io.prenas.deploy.Dockerfile.Instruction;
import io.prenas.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The invariants of the container images, read from the Dockerfiles (no Docker engine, no linter needed); the
 * README's "Deployment" section lists them.
 */
class DockerfileTest {

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|CREDENTIAL).*");
  private static final Set<String> ROOT = Set.of("root", "0", "0:0", "root:root");

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void buildsTheJarWithTheWrapperInAnEarlierStageWithoutTests(String name) throws IOException {
    Dockerfile file = Dockerfile.read(Path.of(name));

    assertThat(file.stages()).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    Stage build = file.stages().stream().filter(s -> "build".equals(s.name())).findFirst().orElseThrow();
    assertThat(build.args("RUN")).anySatisfy(run -> assertThat(run)
        .contains("./mvnw").contains("-DskipTests").contains(" package").contains("target/prenas.jar"));
    assertThat(file.last().args("COPY")).anySatisfy(copy -> assertThat(copy)
        .startsWith("--from=build").contains("/prenas.jar /app/prenas.jar"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void everyBaseImageHasAFixedTagAndNothingIsAddedFromTheNetwork(String name) throws IOException {
    Dockerfile file = Dockerfile.read(Path.of(name));
    List<String> stageNames = file.stages().stream().map(Stage::name).toList();

    for (Stage stage : file.stages()) {
      if (stageNames.contains(stage.image())) {
        continue; // FROM an earlier stage
      }
      assertThat(stage.image()).as("base image of stage %s", stage.name())
          .matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
      assertThat(stage.args("ADD")).as("ADD of a URL (use a checked download in RUN, or COPY)")
          .noneMatch(add -> add.matches("(?s).*\\b(https?|ftp)://.*"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void theRuntimeRunsAsANonRootUserWithJemallocOfflineAndAHealthcheck(String name) throws IOException {
    Stage runtime = Dockerfile.read(Path.of(name)).last();
    Map<String, String> env = runtime.env();

    List<String> users = runtime.args("USER");
    assertThat(users).as("USER in the final stage").isNotEmpty();
    String user = users.get(users.size() - 1).strip();
    assertThat(ROOT).as("final USER").doesNotContain(user);
    assertThat(user).doesNotStartWith("0:").doesNotStartWith("root:");

    assertThat(runtime.args("RUN")).anySatisfy(run -> assertThat(run).contains("libjemalloc2"));
    assertThat(env.get("LD_PRELOAD")).as("LD_PRELOAD").matches("/usr/lib/\\S+/libjemalloc\\.so\\.2");
    // docs/bench/train-step.md: jemalloc's default page decay made the training forward about 2x slower
    assertThat(env.get("MALLOC_CONF")).as("MALLOC_CONF").isEqualTo("dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS").contains("-Dai.djl.offline=true");
    assertThat(runtime.args("HEALTHCHECK")).singleElement().asString().contains("/actuator/health/readiness");
    assertThat(runtime.args("ENTRYPOINT")).singleElement().asString().contains("/app/prenas.jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void noSecretIsBakedIntoTheImage(String name) throws IOException {
    for (Stage stage : Dockerfile.read(Path.of(name)).stages()) {
      assertThat(stage.env().keySet()).as("ENV names in stage %s", stage.name())
          .noneMatch(k -> SECRET_NAME.matcher(k).matches());
      assertThat(stage.args("ARG")).as("ARG names").noneMatch(a -> SECRET_NAME.matcher(a).matches());
      assertThat(stage.instructions().stream().map(Instruction::args))
          .noneMatch(a -> a.contains("SPRING_DATASOURCE_PASSWORD") || a.contains("PRENAS_SECURITY_API_KEYS"));
    }
  }

  @Test
  void theCpuImageShipsTheNativesUnpackedAtBuildTimeToTheNonRootUser() throws IOException {
    Dockerfile file = Dockerfile.read(Path.of("Dockerfile"));
    Stage build = file.stages().get(0);
    Stage runtime = file.last();
    String cache = build.env().get("DJL_CACHE_DIR");

    assertThat(cache).as("DJL_CACHE_DIR of the build stage").isNotBlank();
    assertThat(build.args("RUN")).as("the engine starts during the build")
        .anySatisfy(run -> assertThat(run).contains("-Dai.djl.offline=true").contains("prenas.jar engine")
            .contains("libtorch"));
    assertThat(runtime.env()).containsEntry("DJL_CACHE_DIR", cache);
    assertThat(runtime.args("COPY")).as("the unpacked cache reaches the runtime image, owned by its user")
        .anySatisfy(copy -> assertThat(copy).contains("--from=build").containsPattern("--chown=\\S+")
            .endsWith(cache + " " + cache));
  }

  @Test
  void theGpuImageLoadsCudaLibtorchFromTheTorchWheel() throws IOException {
    Dockerfile file = Dockerfile.read(Path.of("Dockerfile.gpu"));
    Stage runtime = file.last();
    Map<String, String> env = runtime.env();

    assertThat(file.stages()).anySatisfy(s -> assertThat(s.args("RUN"))
        .anySatisfy(run -> assertThat(run).contains("torch==2.7.1+cu128")));
    assertThat(env).containsEntry("PYTORCH_FLAVOR", "cu128").containsEntry("PYTORCH_VERSION", "2.7.1")
        .containsEntry("PYTORCH_LIBRARY_PATH", "/opt/python/torch/lib");
    assertThat(runtime.args("COPY")).anySatisfy(c -> assertThat(c).endsWith("/opt/python/torch/lib"));
    // The JNI library is unpacked as the runtime user, after USER, so that it owns the cache.
    List<Instruction> steps = runtime.instructions();
    int user = indexOf(steps, "USER", "");
    int engine = indexOf(steps, "RUN", "prenas.jar engine");
    assertThat(user).isNotNegative();
    assertThat(engine).as("engine started after USER").isGreaterThan(user);
  }

  @Test
  void theEngineCommandTheBuildRunsExists() {
    assertThat(new CommandLine(new PrenasCli()).getSubcommands()).containsKey("engine");
  }

  @Test
  void theDockerContextHoldsOnlyTheBuildInputsAndNeverAnEnvFile() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

    assertThat(lines.get(0)).as("everything excluded first").isEqualTo("*");
    assertThat(lines).contains("!src/", "!pom.xml", "!mvnw", "!.mvn/", "**/.env");
    // Whatever the Dockerfiles COPY from the context must be let in.
    Stream.of("Dockerfile", "Dockerfile.gpu").forEach(name -> {
      try {
        for (Stage stage : Dockerfile.read(Path.of(name)).stages()) {
          stage.args("COPY").stream().filter(c -> !c.startsWith("--from")).forEach(copy -> {
            String[] words = copy.split("\\s+");
            for (int i = 0; i < words.length - 1; i++) {
              if (!words[i].startsWith("--")) {
                assertThat(lines).as("%s: COPY %s", name, words[i]).contains("!" + words[i]);
              }
            }
          });
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static int indexOf(List<Instruction> steps, String keyword, String contains) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).keyword().equals(keyword) && steps.get(i).args().contains(contains)) {
        return i;
      }
    }
    return -1;
  }
}
