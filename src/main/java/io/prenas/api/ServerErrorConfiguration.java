package io.prenas.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Limits and error answers below the controllers: what Tomcat rejects itself is answered as problem+json
 * ({@link ProblemErrorReportValve}, {@link ProblemErrorController}), and JSON bodies are bounded so that a huge or
 * deeply nested document is a 400 instead of memory or stack spent on it.
 */
@Configuration(proxyBeanMethods = false)
class ServerErrorConfiguration {

  /**
   * The longest JSON string accepted: a space's YAML (at most 1,000,000 bytes as a raw body) fits with room for
   * escapes; nothing else in the API comes near it.
   */
  static final int MAX_JSON_STRING = 2_000_000;
  /** Request bodies are a few levels deep; 64 leaves room without letting a 10,000-level document recurse. */
  static final int MAX_JSON_DEPTH = 64;
  /** Whole JSON documents read (request bodies): above the longest string, far below the heap. */
  static final long MAX_JSON_DOCUMENT = 4_000_000;

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    // Boot sets the context's parent (the host) before the customizers run and starts the host later, which then
    // installs this class as its error report valve.
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
      }
    });
  }

  @Bean
  Jackson2ObjectMapperBuilderCustomizer jsonReadLimits() {
    // Duplicate keys are a parse error (400, "duplicate field 'yaml'"): bound to a record's constructor, a repeated
    // key otherwise made Jackson fail with a definition error, a 500 (found by RequestBodyFuzzTest).
    return builder -> builder.featuresToEnable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .postConfigurer(mapper -> mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxStringLength(MAX_JSON_STRING)
            .maxNestingDepth(MAX_JSON_DEPTH)
            .maxDocumentLength(MAX_JSON_DOCUMENT)
            .build()));
  }
}
