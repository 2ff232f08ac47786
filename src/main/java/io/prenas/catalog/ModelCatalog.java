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

/**
 * Published subnets: listing, the budget lookup ("the most accurate model within maxParams and/or maxFlops", from
 * the in-memory {@link BudgetIndex}, no tensor work), publication into releases, and withdrawal.
 *
 * <p>Lookups and listings of a space answer within one release: the space's newest complete release unless the
 * caller pins another, so models evaluated on different data are never ranked together.
 */
@Service
public class ModelCatalog {

  private final PublishedModelRepository models;
  private final BudgetIndex index;
  private final Releases releases;

  ModelCatalog(PublishedModelRepository models, BudgetIndex index, Releases releases) {
    this.models = models;
    this.index = index;
    this.releases = releases;
  }

  public Optional<PublishedModel> find(long id) {
    return models.findById(id);
  }

  /**
   * Published models within the bounds: of {@code release} when given (it must be of {@code space} when that is
   * given too), else of the space's newest complete release, else (no space) of every space and release.
   */
  public Page<PublishedModel> search(String space, UUID release, Long maxParams, Double maxFlops, Pageable page) {
    if (release != null) {
      release(space, release);
      return models.searchRelease(release, maxParams, maxFlops, page);
    }
    if (space == null) {
      return models.search(null, maxParams, maxFlops, page);
    }
    Optional<UUID> newest = index.newestRelease(space);
    return newest.isPresent() ? models.searchRelease(newest.get(), maxParams, maxFlops, page) : Page.empty(page);
  }

  /** The newest complete release of a space (the default of lookups and listings), if it has one. */
  public Optional<UUID> newestRelease(String space) {
    return index.newestRelease(space);
  }

  /** The releases of a space, newest first (those still publishing before them). */
  @Transactional(readOnly = true)
  public List<Release> releases(String space) {
    return releases.ofSpace(space);
  }

  /**
   * Withdraws a model: from the next lookup on, on every node, {@code best} no longer answers it; it stays readable
   * and downloadable by id. A model already withdrawn keeps its first reason and time (idempotent).
   *
   * @return the model as it is now, or empty when there is no such model
   */
  @Transactional
  public Optional<PublishedModel> withdraw(long id, String reason) {
    Optional<PublishedModel> found = models.findForUpdate(id);
    found.filter(m -> !m.withdrawn()).ifPresent(m -> {
      m.withdraw(reason, java.time.Instant.now());
      releases.bumpVersion();
    });
    return found;
  }

  /** The release's view after checking that it exists and, when a space is given, is of that space. */
  private BudgetIndex.ReleaseView release(String space, UUID id) {
    BudgetIndex.ReleaseView r = index.release(id)
        .orElseThrow(() -> new ReleaseException(ReleaseException.Kind.UNKNOWN, "no release with id " + id));
    if (space != null && !r.space().equals(space)) {
      throw new ReleaseException(ReleaseException.Kind.OTHER_SPACE, "release " + id + " is a release of space '"
          + r.space() + "', not of '" + space + "'");
    }
    return r;
  }

  /**
   * The published model of {@code space} with the highest validation top-1 accuracy within the budget (ties: fewer
   * FLOPs), within {@code release} or, when null, the space's newest complete release. A null bound is no bound; at
   * least one must be given. Withdrawn models are never answered.
   *
   * @throws NoModelFitsException saying the smallest budget that would fit
   * @throws ReleaseException for an unknown release, one of another space, or one whose models are all withdrawn
   */
  public PublishedModel best(String space, UUID release, Long maxParams, Double maxFlops) {
    if (maxParams == null && maxFlops == null) {
      throw new IllegalArgumentException("at least one budget is required");
    }
    long p = maxParams == null ? Long.MAX_VALUE : maxParams;
    double f = maxFlops == null ? Double.MAX_VALUE : maxFlops;
    BudgetIndex.ReleaseView r = release != null ? release(space, release)
        : index.newestReleaseView(space).orElse(null);
    List<PublishedModel> ranked = r == null ? List.of() : r.ranked();
    if (r != null && ranked.isEmpty() && r.withdrawn() > 0) {
      throw new ReleaseException(ReleaseException.Kind.ALL_WITHDRAWN, (release == null ? "the newest release " : "release ")
          + r.id() + " of space '" + space + "' has no model left to answer: " + r.withdrawn() + " of its "
          + r.models() + " models are withdrawn; an older release (on possibly other data) is not used instead, "
          + "pin one with ?release= (see /api/v1/spaces/" + space + "/releases)");
    }
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

  /** Adds a published model without an ONNX file or a card (tools, tests): a job's release, or the space's job-less
   * release. Its first ONNX download makes its ONNX file ({@link ModelOnnxFiles#of}). */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, UUID jobId) {
    return publish(space, archId, configJson, params, flops, valTop1, valTop5, weights, null, jobId, null);
  }

  /** Adds a published model with its stored ONNX file and without a card. */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, StoredArtifact onnx, UUID jobId) {
    return publish(space, archId, configJson, params, flops, valTop1, valTop5, weights, onnx, jobId, null);
  }

  /** Adds a published model with its card and without an ONNX file. */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, UUID jobId, ModelCard card) {
    return publish(space, archId, configJson, params, flops, valTop1, valTop5, weights, null, jobId, card);
  }

  /**
   * Adds a published model for a stored weights artifact and its stored ONNX file ({@code onnx} may be null) to its
   * job's release (created on the first model; it becomes the space's newest once {@link #completeRelease} is
   * called), or, without a job, to the space's job-less release, which is complete at once.
   */
  @Transactional
  public PublishedModel publish(String space, String archId, String configJson, long params, double flops,
      Double valTop1, Double valTop5, StoredArtifact weights, StoredArtifact onnx, UUID jobId, ModelCard card) {
    UUID release = jobId != null ? jobId : Releases.unreleased(space);
    if (card != null && !release.equals(card.release())) { // the catalog decides the release, and the card says it
      card = new ModelCard(card.preprocessing(), card.labels(), card.dataset(), card.lineage(), release);
    }
    releases.ensure(release, space, jobId, card == null || card.dataset() == null ? null
        : card.dataset().fingerprint());
    PublishedModel saved = models.save(new PublishedModel(space, archId, configJson, params, flops, valTop1, valTop5,
        weights.sha256(), weights.size(), onnx == null ? null : onnx.sha256(), onnx == null ? null : onnx.size(),
        jobId, release, card));
    releases.bumpVersion();
    return saved;
  }

  /**
   * Marks a job's release complete: from then on it is its space's newest (when nothing newer is), all its models at
   * once. Called when the job has published every model; a second call changes nothing.
   */
  @Transactional
  public void completeRelease(UUID jobId) {
    if (releases.complete(jobId)) {
      releases.bumpVersion();
    }
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
