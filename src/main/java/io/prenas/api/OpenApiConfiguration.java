package io.prenas.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header; springdoc builds the rest from the controllers and DTO records. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI prenasOpenApi() {
    return new OpenAPI().info(new Info()
        .title("PreNAS Server API")
        .version("v1")
        .description("Preferred one-shot NAS for Vision Transformers as a service: search spaces, selection and "
            + "training jobs run by workers, preferred tables, and the best published subnet within a params/FLOPs "
            + "budget with its weights. Errors are RFC 9457 application/problem+json; the `field` property names "
            + "the request field at fault.")
        .license(new License().name("MIT").identifier("MIT")));
  }
}
