package io.prenas.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.catalog.PublishedModel;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A published model as the API answers it ({@link ModelResponse}), and the budget lookup's answers kept ready as JSON.
 *
 * <p>The lookup's cache holds, per model id, the response made from one model object: the budget index hands out the
 * same object until it reloads (a publication, release or withdrawal changes the catalog version), so a hit skips
 * parsing the model's config and card and serialising them again, and a reload makes each entry miss once. At most
 * one entry per published model.
 */
@Component
class ModelResponses {

  /** A lookup answer: the model object it was made from, the response and its JSON (as Spring MVC writes it). */
  record Answer(PublishedModel source, ModelResponse response, byte[] json) {}

  private final ObjectMapper json;
  private final Map<Long, Answer> answers = new ConcurrentHashMap<>();

  ModelResponses(ObjectMapper json) {
    this.json = json;
  }

  /** The response of a model, made afresh. */
  ModelResponse of(PublishedModel m) {
    try {
      return new ModelResponse(m.id(), m.space(), m.archId(), json.readTree(m.config()), m.params(), m.flops(),
          m.valTop1(), m.valTop5(), m.artifactSha256(), m.artifactSize(), m.jobId(), m.createdAt(),
          "/api/v1/models/" + m.id() + "/weights", "/api/v1/models/" + m.id() + "/weights?format=onnx",
          "/api/v1/models/" + m.id() + "/config", m.releaseId(), m.withdrawn(), m.withdrawnReason(), m.withdrawnAt(),
          m.card());
    } catch (IOException e) {
      throw new IllegalStateException("model " + m.id() + " has a malformed config", e);
    }
  }

  /** The lookup answer for a model object of the budget index (cached while the index hands out that object). */
  Answer lookupAnswer(PublishedModel m) {
    Answer a = answers.get(m.id());
    if (a == null || a.source() != m) {
      ModelResponse r = of(m);
      try {
        a = new Answer(m, r, json.writeValueAsBytes(r));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("model " + m.id() + " cannot be written as JSON", e);
      }
      answers.put(m.id(), a);
    }
    return a;
  }
}
