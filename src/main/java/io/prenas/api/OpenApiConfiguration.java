package io.prenas.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header and security schemes; springdoc builds the rest from the controllers and DTO
 * records. Every operation that is not a GET or HEAD is marked as needing a write key (the filter decides by method
 * too), with its 401 and 403 answers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static final String BEARER = "bearerKey";
  static final String HEADER = "apiKeyHeader";

  @Bean
  OpenAPI prenasOpenApi() {
    return new OpenAPI().info(new Info()
        .title("PreNAS Server API")
        .version("v1")
        .description("Preferred one-shot NAS for Vision Transformers as a service: search spaces, selection and "
            + "training jobs run by workers, preferred tables, and the best published subnet within a params/FLOPs "
            + "budget with its weights. Errors are RFC 9457 application/problem+json; the `field` property names "
            + "the request field at fault. Operations other than GET and HEAD need an API key with scope write "
            + "(Authorization: Bearer <key>, or X-API-Key: <key>); reads need a key only where the server is "
            + "configured so (prenas.security.read-access=key).")
        .license(new License().name("MIT").identifier("MIT")))
        .components(new Components()
            .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key as a bearer token: 'Authorization: Bearer <key>'"))
            .addSecuritySchemes(HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                .description("An API key in the X-API-Key header")));
  }

  /** Write operations need a key with scope write; reads need one only with prenas.security.read-access=key. */
  @Bean
  OpenApiCustomizer writeOperationsNeedAKey() {
    return api -> {
      if (api.getPaths() == null) {
        return;
      }
      for (PathItem item : api.getPaths().values()) {
        for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
          if (e.getKey() == PathItem.HttpMethod.GET || e.getKey() == PathItem.HttpMethod.HEAD) {
            continue;
          }
          Operation op = e.getValue();
          op.addSecurityItem(new SecurityRequirement().addList(BEARER));
          op.addSecurityItem(new SecurityRequirement().addList(HEADER));
          op.getResponses().addApiResponse("401", problem("No API key, or an unknown one"));
          op.getResponses().addApiResponse("403", problem("The API key has scope read; this needs write"));
          op.getResponses().addApiResponse("429", problem("More writes than prenas.rate-limit allows this client "
              + "(Retry-After says when to try again)"));
        }
      }
    };
  }

  /** One problem schema on every error answer, typed budgets, unique operation ids. */
  @Bean
  OpenApiCustomizer typedContract() {
    return new OpenApiContract();
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse().description(description)
        .content(new Content().addMediaType("application/problem+json", new MediaType()));
  }
}
