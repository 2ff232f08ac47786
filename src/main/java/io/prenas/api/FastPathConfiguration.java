package io.prenas.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.prenas.catalog.ModelCatalog;
import io.prenas.security.ReadAccess;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the fast paths of the two hot reads, {@link BestModelFastPath} and {@link WeightsFastPath}, after the
 * security filters (CORS, API keys, write rate limit), and the serving port that answers the same reads without
 * Tomcat ({@link ServingListener}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServingProperties.class)
class FastPathConfiguration {

  @Bean
  FilterRegistrationBean<BestModelFastPath> bestModelFastPath(ModelCatalog models, ModelResponses responses) {
    FilterRegistrationBean<BestModelFastPath> r = new FilterRegistrationBean<>(
        new BestModelFastPath(models, responses));
    r.addUrlPatterns(BestModelFastPath.PATH);
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
    return r;
  }

  /**
   * The serving port, on nodes that serve the API (role {@code api} or {@code all}) unless
   * {@code prenas.serving.port=-1}.
   */
  @Bean
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnExpression("'${prenas.role:all}'.trim() != 'worker' and ${prenas.serving.port:8081} >= 0")
  ServingListener servingListener(ServingProperties properties, WebServerApplicationContext web,
      ServerProperties server, ModelCatalog models, ModelResponses responses, WeightsFiles files, ReadAccess access,
      MeterRegistry meters) {
    return new ServingListener(properties, web, server.getAddress(), new BestModelFastPath(models, responses), files,
        access, meters);
  }

  @Bean
  FilterRegistrationBean<WeightsFastPath> weightsFastPath(WeightsFiles files) {
    FilterRegistrationBean<WeightsFastPath> r = new FilterRegistrationBean<>(new WeightsFastPath(files));
    r.addUrlPatterns("/api/v1/models/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
    return r;
  }
}
