package io.prenas.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Registers the API-key filter and, when origins are configured, a CORS filter in front of it (so that a 401 sent to
 * a browser still carries the CORS headers that let the page read it).
 *
 * <p>With security enabled and no key configured, a random write key is generated and logged once, as Spring
 * Security does with its generated password: the quick start works, yet nothing is open by accident. Configured
 * keys are never logged (only their names).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  ApiKeys apiKeys(SecurityProperties security) {
    ApiKeys keys = ApiKeys.parse(security.apiKeys());
    if (!security.enabled()) {
      LOG.warn("prenas.security.enabled=false: every endpoint is open to anyone who reaches the server "
          + "(for local development only)");
      return keys;
    }
    if (keys.isEmpty()) {
      String key = ApiKeys.newKey();
      LOG.warn("""

          Using generated API key (scope write, valid until this process stops): {}

          Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'. Set prenas.security.api-keys \
          (see 'prenas apikey create') so that no key is generated.
          """, key);
      return ApiKeys.of(new ApiKeys.Entry("generated", ApiKeys.Scope.WRITE, ApiKeys.sha256(key)));
    }
    LOG.info("API keys configured: {}", keys.names());
    return keys;
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, SecurityProperties security, ApiProperties api) {
    FilterRegistrationBean<ApiKeyFilter> r = new FilterRegistrationBean<>(new ApiKeyFilter(keys, security.enabled(),
        security.readNeedsKey(), security.protectMetrics(), api.maxBodySize().toBytes()));
    r.addUrlPatterns("/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return r;
  }

  @Bean
  ReadAccess readAccess(ApiKeys keys, SecurityProperties security, CorsProperties cors) {
    return new ReadAccess(keys, security.enabled() && security.readNeedsKey(), cors.origins());
  }

  /** After the key filter (so a client is its key's name), before any controller. */
  @Bean
  FilterRegistrationBean<WriteRateLimitFilter> writeRateLimitFilter(RateLimitProperties limits) {
    FilterRegistrationBean<WriteRateLimitFilter> r = new FilterRegistrationBean<>(new WriteRateLimitFilter(
        new WriteRateLimiter(limits.writesPerMinute(), limits.burst(), System::nanoTime)));
    r.addUrlPatterns("/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
    r.setEnabled(limits.enabled());
    return r;
  }

  @Bean
  FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties cors) {
    List<String> allowed = cors.origins();
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!allowed.isEmpty()) {
      CorsConfiguration c = new CorsConfiguration();
      c.setAllowedOriginPatterns(allowed);
      c.setAllowedMethods(cors.methods());
      c.setAllowedHeaders(cors.headers());
      c.setExposedHeaders(cors.exposed());
      // Keys travel in headers, never in cookies: credentialed CORS is not needed.
      c.setAllowCredentials(false);
      c.setMaxAge(cors.maxAge());
      source.registerCorsConfiguration("/api/**", c);
    }
    FilterRegistrationBean<CorsFilter> r = new FilterRegistrationBean<>(new CorsFilter(source));
    r.addUrlPatterns("/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    r.setEnabled(!allowed.isEmpty());
    return r;
  }
}
