package io.prenas.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code @ConfigurationProperties} records of the server: their defaults (the values that apply when neither
 * {@code application.properties} nor the environment sets one) and their checks at startup.
 */
class ConfigurationPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @ConfigurationPropertiesScan("io.prenas")
  static class AllProperties {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(AllProperties.class)
      .withPropertyValues("prenas.storage.dir=/tmp/artifacts"); // the one setting without a default

  @Test
  void defaultsAreTheDocumentedOnes() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(records(context)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
          Map.entry("prenas", "RoleProperties[role=all]"),
          Map.entry("prenas.api", "ApiProperties[maxBodySize=1048576B]"),
          Map.entry("prenas.cors", "CorsProperties[allowedOrigins=, allowedMethods=GET,HEAD,POST,OPTIONS, "
              + "allowedHeaders=Authorization,X-API-Key,Content-Type,Range,If-None-Match,Idempotency-Key, "
              + "exposedHeaders=ETag,Location,Content-Disposition,Content-Range,Accept-Ranges,WWW-Authenticate, "
              + "maxAge=PT1H]"),
          Map.entry("prenas.dashboard", "DashboardProperties[port=8000, address=127.0.0.1]"),
          Map.entry("prenas.data", "DatasetProperties[dir=data/datasets]"),
          Map.entry("prenas.db.embedded", "EmbeddedDatabaseProperties[dir=, port=0]"),
          Map.entry("prenas.demo", "DemoProperties[enabled=true, dataDir=/usr/share/datasets/fashion-mnist, "
              + "epochs=0]"),
          Map.entry("prenas.engine", "EngineProperties[threads=0]"),
          Map.entry("prenas.heap-collection", "HeapCollectionProperties[enabled=true]"),
          Map.entry("prenas.jobs", "JobsProperties[progressInterval=PT2S, lease=PT10S, maxAttempts=3, "
              + "retryBackoffBase=3]"),
          Map.entry("prenas.metrics", "MetricsProperties[jobsRefresh=PT5S]"),
          Map.entry("prenas.rate-limit", "RateLimitProperties[enabled=true, writesPerMinute=120, burst=30]"),
          Map.entry("prenas.security", "SecurityProperties[enabled=true, apiKeys=, readAccess=open, "
              + "protectMetrics=false]"),
          Map.entry("prenas.serving", "ServingProperties[port=8081, address=null, eventLoops=0, idleTimeout=PT1M, "
              + "maxKeepAliveRequests=1000]"),
          Map.entry("prenas.spaces.limits", "SpaceLimits[maxDepth=64, maxWidth=16384, "
              + "maxSupernetParameters=2000000000, maxImageSize=1024, maxArchitectures=1E+24]"),
          Map.entry("prenas.storage", "StorageProperties[dir=/tmp/artifacts]"),
          Map.entry("prenas.training", "TrainingProperties[checkpointEvery=200, loaderThreads=2, device=, "
              + "recalibrationBatches=8, recalibrationBatchSize=64]"),
          Map.entry("prenas.upload", "UploadProperties[maxSize=2147483648B]"),
          Map.entry("prenas.worker", "WorkerProperties[memoryBudget=null, isolation=]"),
          Map.entry("prenas.worker.child", "EngineProcessProperties[heap=null, nativeMemory=null, "
              + "addressSpaceReserve=3221225472B, cancelGrace=PT30S, youngGeneration=67108864B]")));
    });
  }

  @Test
  void valuesAreBoundFromTheDocumentedNames() {
    runner.withPropertyValues("prenas.role= Worker ", "prenas.security.read-access=key",
        "prenas.security.protect-metrics=true", "prenas.api.max-body-size=4KB", "prenas.cors.max-age=10m",
        "prenas.db.embedded.port=5433", "prenas.training.checkpoint-every=7", "prenas.training.device=gpu0",
        "prenas.training.recalibration-batches=3",
        "prenas.upload.max-size=64KB", "prenas.jobs.lease=30s", "prenas.jobs.max-attempts=5",
        "prenas.serving.max-keep-alive-requests=-1", "prenas.heap-collection.enabled=false").run(context -> {
          Map<String, String> r = records(context);
          assertThat(r.get("prenas")).isEqualTo("RoleProperties[role=worker]");
          assertThat(r.get("prenas.security")).contains("readAccess=key").contains("protectMetrics=true");
          assertThat(r.get("prenas.api")).isEqualTo("ApiProperties[maxBodySize=4096B]");
          assertThat(r.get("prenas.cors")).endsWith("maxAge=PT10M]");
          assertThat(r.get("prenas.db.embedded")).isEqualTo("EmbeddedDatabaseProperties[dir=, port=5433]");
          assertThat(r.get("prenas.training")).isEqualTo(
              "TrainingProperties[checkpointEvery=7, loaderThreads=2, device=gpu0, recalibrationBatches=3, "
              + "recalibrationBatchSize=64]");
          assertThat(r.get("prenas.upload")).isEqualTo("UploadProperties[maxSize=65536B]");
          assertThat(r.get("prenas.serving")).endsWith("maxKeepAliveRequests=-1]");
          assertThat(r.get("prenas.heap-collection")).isEqualTo("HeapCollectionProperties[enabled=false]");
          assertThat(r.get("prenas.jobs")).isEqualTo("JobsProperties[progressInterval=PT2S, lease=PT30S, maxAttempts=5, "
              + "retryBackoffBase=3]");
        });
  }

  @Test
  void badValuesStopTheStartNamingTheSetting() {
    for (String bad : new String[] {"prenas.security.read-access=maybe", "prenas.engine.threads=-1",
        "prenas.training.checkpoint-every=0", "prenas.db.embedded.port=70000", "prenas.metrics.jobs-refresh=soon",
        "prenas.serving.port=70000", "prenas.serving.event-loops=-1", "prenas.serving.max-keep-alive-requests=-2"}) {
      String prefix = bad.substring(0, bad.lastIndexOf('.', bad.indexOf('=')));
      runner.withPropertyValues(bad).run(context -> {
        assertThat(context).as(bad).hasFailed();
        StringWriter trace = new StringWriter();
        context.getStartupFailure().printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as(bad).contains("Failed to bind properties under '" + prefix);
      });
    }
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(AllProperties.class)
        .run(context -> assertThat(context).as("no prenas.storage.dir").hasFailed());
  }

  /** Every {@code @ConfigurationProperties} record of the server by prefix, as its {@code toString()}. */
  private static Map<String, String> records(ApplicationContext context) {
    Map<String, String> out = new TreeMap<>();
    context.getBeansWithAnnotation(ConfigurationProperties.class).values().forEach(bean -> {
      if (bean.getClass().isRecord() && bean.getClass().getPackageName().startsWith("io.prenas")) {
        out.put(bean.getClass().getAnnotation(ConfigurationProperties.class).value(), bean.toString());
      }
    });
    return out;
  }
}
