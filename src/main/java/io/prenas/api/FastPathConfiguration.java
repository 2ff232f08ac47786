package io.prenas.api;

import io.prenas.catalog.ModelCatalog;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the fast paths of the two hot reads, {@link BestModelFastPath} and {@link WeightsFastPath}, after the
 * security filters (CORS, API keys, write rate limit).
 */
@Configuration(proxyBeanMethods = false)
class FastPathConfiguration {

  @Bean
  FilterRegistrationBean<BestModelFastPath> bestModelFastPath(ModelCatalog models, ModelResponses responses) {
    FilterRegistrationBean<BestModelFastPath> r = new FilterRegistrationBean<>(
        new BestModelFastPath(models, responses));
    r.addUrlPatterns(BestModelFastPath.PATH);
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
    return r;
  }

  @Bean
  FilterRegistrationBean<WeightsFastPath> weightsFastPath(WeightsFiles files) {
    FilterRegistrationBean<WeightsFastPath> r = new FilterRegistrationBean<>(new WeightsFastPath(files));
    r.addUrlPatterns("/api/v1/models/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
    return r;
  }
}
