package io.prenas.catalog;

import io.prenas.storage.StoredArtifact;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Published subnets: listing, the budget lookup ("the most accurate model within maxParams and/or maxFlops", from
 * the in-memory {@link BudgetIndex}, no tensor work), and publication.
 */
@Service
public class ModelCatalog {

  private final PublishedModelRepository models;
  private final BudgetIndex index;

  ModelCatalog(PublishedModelRepository models, BudgetIndex index) {
    this.models = models;
    this.index = index;
  }

  public Optional<PublishedModel> find(long id) {
    return models.findById(id);
  }

  public Page<PublishedModel> search(String space, Long maxParams, Double maxFlops, Pageable page) {
    return models.search(space, maxParams, maxFlops, page);
  }

  /**
   * The published model of {@code space} with the highest validation top-1 accuracy within the budget (ties: fewer
   * FLOPs). A null bound is no bound; at least one must be given.
   *
   * @throws NoModelFitsException saying the smallest budget that would fit
   */
  public PublishedModel best(String space, Long maxParams, Double maxFlops) {
    if (maxParams == null && maxFlops == null) {
      throw new IllegalArgumentException("at least one budget is required");
    }
    long p = maxParams == null ? Long.MAX_VALUE : maxParams;
    double f = maxFlops == null ? Double.MAX_VALUE : maxFlops;
    List<PublishedModel> ranked = index.ranked(space);
    for (PublishedModel m : ranked) {
      if (m.params() <= p && m.flops() <= f) {
        return m;
      }
    }
    throw noFit(space, ranked, maxParams, maxFlops);
  }

  /** The models a job published, oldest first (a resumed pipeline publishes only the missing ones). */
  @Transactional(readOnly = true)
  public List<PublishedModel> publishedBy(UUID jobId) {
    return models.findByJobIdOrderByIdAsc(jobId);
  }

  /**
   * Adds a published model for a stored weights artifact, without an ONNX file (its first ONNX download makes one,
   * {@link ModelOnnxFiles#of}).
   */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, UUID jobId) {
    return publish(space, archId, configJson, params, flops, valTop1, valTop5, weights, null, jobId);
  }

  /** Adds a published model for its stored weights artifact and its stored ONNX file ({@code onnx} may be null). */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, StoredArtifact onnx, UUID jobId) {
    PublishedModel saved = models.save(new PublishedModel(space, archId, configJson, params, flops, valTop1, valTop5,
        weights.sha256(), weights.size(), onnx == null ? null : onnx.sha256(), onnx == null ? null : onnx.size(),
        jobId));
    // Refresh once the row is visible to other transactions, not before (this method always runs in one).
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        index.invalidate();
      }
    });
    return saved;
  }

  /** Why nothing fits, with the smallest budget that would, from the same models the lookup walked. */
  private static NoModelFitsException noFit(String space, List<PublishedModel> models, Long maxParams,
      Double maxFlops) {
    if (models.isEmpty()) {
      return new NoModelFitsException("space '" + space + "' has no published model with a validation accuracy yet",
          null, null);
    }
    if (maxFlops == null) {
      long min = models.stream().mapToLong(PublishedModel::params).min().orElseThrow();
      return new NoModelFitsException("no model of space '" + space + "' has at most " + maxParams
          + " parameters; the smallest budget that fits is maxParams=" + min, min, null);
    }
    if (maxParams == null) {
      double min = models.stream().mapToDouble(PublishedModel::flops).min().orElseThrow();
      return new NoModelFitsException("no model of space '" + space + "' has at most " + fmt(maxFlops)
          + " FLOPs; the smallest budget that fits is maxFlops=" + fmt(min), null, min);
    }
    OptionalLong minParams = models.stream().filter(m -> m.flops() <= maxFlops).mapToLong(PublishedModel::params)
        .min();
    OptionalDouble minFlops = models.stream().filter(m -> m.params() <= maxParams).mapToDouble(PublishedModel::flops)
        .min();
    Long paramsWithinFlops = minParams.isPresent() ? minParams.getAsLong() : null;
    Double flopsWithinParams = minFlops.isPresent() ? minFlops.getAsDouble() : null;
    if (paramsWithinFlops != null || flopsWithinParams != null) {
      StringBuilder msg = new StringBuilder("no model of space '" + space + "' fits both maxParams=" + maxParams
          + " and maxFlops=" + fmt(maxFlops) + "; the smallest budget that fits is ");
      if (paramsWithinFlops != null) {
        msg.append("maxParams=").append(paramsWithinFlops).append(" (keeping maxFlops)");
      }
      if (flopsWithinParams != null) {
        msg.append(paramsWithinFlops != null ? ", or " : "").append("maxFlops=").append(fmt(flopsWithinParams))
            .append(" (keeping maxParams)");
      }
      return new NoModelFitsException(msg.toString(), paramsWithinFlops, flopsWithinParams);
    }
    PublishedModel s = models.stream().min(Comparator.comparingLong(PublishedModel::params)
        .thenComparingDouble(PublishedModel::flops)).orElseThrow();
    return new NoModelFitsException("no model of space '" + space + "' fits maxParams=" + maxParams + " and maxFlops="
        + fmt(maxFlops) + "; the smallest budget that fits is maxParams=" + s.params() + " and maxFlops="
        + fmt(s.flops()), s.params(), s.flops());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
  }
}
