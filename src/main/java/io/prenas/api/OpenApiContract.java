package io.prenas.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * What the document says that annotations cannot say once for every operation, so that generated SDKs get types:
 * <ul>
 *   <li>one {@value #PROBLEM} schema (RFC 9457 members plus this server's {@code field}, {@code minimalMaxParams},
 *       {@code minimalMaxFlops} and the other extension members) referenced by every 4xx and 5xx answer;</li>
 *   <li>206 and 304 answers of a download carry no problem body, and a 304 no body at all;</li>
 *   <li>budgets are numbers ({@code maxParams} an int64, {@code maxFlops} a double) although the server also reads
 *       {@code 6e6};</li>
 *   <li>operation ids are unique: the HEAD twin of a GET gets {@code head...} instead of springdoc's {@code _1};</li>
 *   <li>the job schemas of {@link JobSchemas}: enums from the Java enums, and each job type's own options.</li>
 * </ul>
 */
final class OpenApiContract implements OpenApiCustomizer {

  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";
  private static final String SCHEMAS = "#/components/schemas/";
  private static final String IMPORT_PREFERRED = "importPreferredArchitectures";

  @Override
  public void customise(OpenAPI api) {
    if (api.getComponents() == null) {
      api.setComponents(new Components());
    }
    api.getComponents().addSchemas(PROBLEM, problemSchema());
    JobSchemas.apply(api.getComponents());
    dropFreeFormJson(api.getComponents());
    if (api.getPaths() == null) {
      return;
    }
    for (PathItem item : api.getPaths().values()) {
      if (item.getPost() != null && IMPORT_PREFERRED.equals(item.getPost().getOperationId())) {
        typePreferredFile(api.getComponents(), item.getPost());
      }
      Operation get = item.getGet();
      if (get != null && item.getHead() != null) {
        item.setHead(headTwin(get, item.getHead()));
      }
      for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
        Operation op = e.getValue();
        op.getResponses().forEach((code, response) -> typeResponse(code, response));
        if (op.getParameters() != null) {
          op.getParameters().forEach(OpenApiContract::typeBudget);
        }
      }
    }
  }

  /**
   * The HEAD operation of a GET handler under an id of its own ({@code headX} for {@code getX}); springdoc gives
   * both one operation object, or the same id with {@code _1}.
   */
  private static Operation headTwin(Operation get, Operation head) {
    String id = get.getOperationId();
    String twinId = id.startsWith("get") ? "head" + id.substring(3)
        : "head" + Character.toUpperCase(id.charAt(0)) + id.substring(1);
    return new Operation().operationId(twinId).summary(head.getSummary()).description(head.getDescription())
        .tags(head.getTags()).parameters(head.getParameters()).responses(head.getResponses())
        .security(head.getSecurity());
  }

  /**
   * The body of a preferred-table import: the reference's file, a JSON object from bin key to a list of entries,
   * each an architecture config of the space's family plus {@code num_params} (millions) and {@code score}.
   */
  @SuppressWarnings("rawtypes")
  private static void typePreferredFile(Components components, Operation op) {
    components.addSchemas("PreferredFileEntry", new ComposedSchema()
        .addAllOfItem(new Schema<>().$ref(SCHEMAS + "ArchitectureConfig"))
        .addAllOfItem(new ObjectSchema()
            .addProperty("num_params", new NumberSchema().description("Parameters in millions, as the reference "
                + "writes params / 1e6; must equal the recount").example(5.99476))
            .addProperty("score", new NumberSchema().description("The selector's score").example(1010076.75))
            .required(List.of("num_params", "score")))
        .description("One preferred architecture in a preferred file: its config and two numbers."));
    MediaType body = op.getRequestBody().getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
    Object example = body.getSchema() == null ? null : body.getSchema().getExample();
    body.setSchema(new ObjectSchema()
        .additionalProperties(new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "PreferredFileEntry")))
        .description("Bin key (the bin's upper bound, e.g. \"6.0\") -> the bin's preferred architectures, best first")
        .example(example));
  }

  /**
   * JSON a family writes and the server passes through (an architecture config, a space summary) is a
   * {@code JsonNode} or {@code ObjectNode} in Java, declared by the schema of its {@code implementation}: springdoc
   * can leave a stray empty {@code JsonNode} schema, which nothing may reference.
   */
  private static void dropFreeFormJson(Components components) {
    if (components.getSchemas() != null) {
      components.getSchemas().remove("JsonNode");
      components.getSchemas().remove("ObjectNode");
    }
  }

  private static void typeResponse(String code, ApiResponse response) {
    Content content = response.getContent();
    if (code.equals("304")) {
      response.setContent(null);
    } else if (code.equals("206")) {
      if (content != null) {
        content.remove(PROBLEM_JSON);
      }
    } else if (code.startsWith("4") || code.startsWith("5")) {
      response.setContent(new Content().addMediaType(PROBLEM_JSON,
          new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }
  }

  private static void typeBudget(Parameter p) {
    if (!"query".equals(p.getIn())) {
      return;
    }
    if ("maxParams".equals(p.getName())) {
      p.setSchema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ONE));
    } else if ("maxFlops".equals(p.getName())) {
      p.setSchema(new NumberSchema().format("double"));
    }
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    return new ObjectSchema()
        .description("An error (RFC 9457 problem details). `field` names the request field at fault.")
        .addProperty("type", new StringSchema().format("uri").example("about:blank"))
        .addProperty("title", new StringSchema().example("Invalid request"))
        .addProperty("status", new IntegerSchema().format("int32").example(400))
        .addProperty("detail", new StringSchema().example("maxParams: must be a positive number, got '-1'"))
        .addProperty("instance", new StringSchema().format("uri").example("/api/v1/models/best"))
        .addProperty("field", new StringSchema().description("The request field at fault").example("maxParams"))
        .addProperty("key", new StringSchema().description("The key at fault inside a space YAML"))
        .addProperty("pointer", new StringSchema().description("Where in a preferred-architecture file"))
        .addProperty("limit", new StringSchema().description("The configuration bound a space exceeds"))
        .addProperty("minimalMaxParams", new IntegerSchema().format("int64")
            .description("For 404 of best: the smallest maxParams any model fits"))
        .addProperty("minimalMaxFlops", new NumberSchema().format("double")
            .description("For 404 of best: the smallest maxFlops any model fits"));
  }
}
