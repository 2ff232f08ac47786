package io.prenas.api;

import io.prenas.job.JobOptions;
import io.prenas.job.JobPhase;
import io.prenas.job.JobType;
import io.prenas.supernet.Precision;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The job schemas of the contract, derived from the code that enforces them so that they cannot drift: the enums
 * of {@code phase}, {@code sampler}, {@code scoreMode}, {@code supernet} and {@code precision} come from the Java
 * enums, and each job
 * type's options schema lists exactly the options {@link JobOptions#allowedFor} accepts. A job request is then a
 * {@code oneOf} over the job types, told apart by {@code type}, each with its own options.
 */
final class JobSchemas {

  static final String JOB_OPTIONS = "JobOptions";
  static final String JOB_SUBMIT_REQUEST = "JobSubmitRequest";
  static final String JOB_RESPONSE = "JobResponse";
  private static final String REF = "#/components/schemas/";

  private JobSchemas() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static void apply(Components components) {
    Map<String, Schema> schemas = components.getSchemas();
    if (schemas == null || !schemas.containsKey(JOB_OPTIONS)) {
      return;
    }
    Schema options = schemas.get(JOB_OPTIONS);
    options.description("Options of a job; which ones a job type takes is in its own options schema "
        + "(SelectionJobOptions, ...). Unset options take their defaults, which the job row records.");
    enumOf(options, "sampler", JobOptions.Sampler.values(), JobOptions.Sampler::apiName);
    enumOf(options, "scoreMode", JobOptions.ScoreMode.values(), JobOptions.ScoreMode::apiName);
    enumOf(options, "supernet", JobOptions.SupernetSource.values(), JobOptions.SupernetSource::apiName);
    enumOf(options, "precision", Precision.values(), Precision::id);
    Schema job = schemas.get(JOB_RESPONSE);
    if (job != null && job.getProperties() != null && job.getProperties().get("phase") instanceof Schema phase) {
      phase.setEnum(JobPhase.apiNames());
    }

    ComposedSchema request = new ComposedSchema();
    request.description("A job to run on a worker: its type, its space and the options of that type.");
    Discriminator discriminator = new Discriminator().propertyName("type");
    for (JobType type : JobType.values()) {
      String name = typeName(type);
      schemas.put(name + "JobOptions", optionsOf(type, options));
      schemas.put(name + "JobSubmitRequest", submitRequestOf(type, name));
      request.addOneOfItem(new Schema<>().$ref(REF + name + "JobSubmitRequest"));
      discriminator.mapping(type.apiName(), REF + name + "JobSubmitRequest");
    }
    request.discriminator(discriminator);
    schemas.put(JOB_SUBMIT_REQUEST, request);
  }

  /** The options schema of one job type: the shared property schemas of the options it accepts, nothing else. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema optionsOf(JobType type, Schema all) {
    Map<String, Schema> properties = new TreeMap<>();
    for (String option : JobOptions.allowedFor(type)) {
      Schema p = (Schema) all.getProperties().get(option);
      if (p == null) {
        throw new IllegalStateException("option " + option + " has no schema in " + JOB_OPTIONS);
      }
      properties.put(option, p);
    }
    ObjectSchema schema = new ObjectSchema();
    schema.description("Options of a " + type.apiName() + " job, all optional.");
    schema.setProperties((Map) properties);
    schema.additionalProperties(Boolean.FALSE);
    return schema;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema submitRequestOf(JobType type, String name) {
    ObjectSchema schema = new ObjectSchema();
    schema.description("A " + type.apiName() + " job.");
    schema.addProperty("type", new StringSchema()._enum(List.of(type.apiName())).description("Job type."));
    schema.addProperty("space", new StringSchema().description("Name of the search space.")
        .example("autoformer-tiny"));
    schema.addProperty("options", new Schema<>().$ref(REF + name + "JobOptions"));
    schema.required(List.of("type", "space"));
    return schema;
  }

  private static String typeName(JobType type) {
    String api = type.apiName();
    return api.substring(0, 1).toUpperCase(Locale.ROOT) + api.substring(1);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static <E> void enumOf(Schema schema, String property, E[] values, Function<E, String> spelling) {
    if (schema.getProperties() != null && schema.getProperties().get(property) instanceof Schema p) {
      p.setEnum(Arrays.stream(values).map(spelling).toList());
    }
  }
}
