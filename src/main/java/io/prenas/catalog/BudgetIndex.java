package io.prenas.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The budget lookup's working set, held in memory: per release, its published models that have a validation
 * accuracy and are not withdrawn, most accurate first (ties: fewer FLOPs, then the older id); per space, its newest
 * complete release. A lookup is then a walk down one short list, with no query, transaction or entity mapping for
 * the models (that was 1-2 ms of server time per request through the indexed query).
 *
 * <p>Freshness, on every node: every change that can alter an answer (a model published, a release completed, a
 * model withdrawn) increments {@code model_catalog_version} in its own transaction, and every lookup first takes the
 * current version and reloads the index when it differs from the version the index was loaded at. The version comes
 * from {@link CatalogVersionWatch}, pushed to this node and acknowledged before the change returns to its caller, so
 * a lookup makes no database round trip; while the watch cannot vouch for it (no lease, database trouble, role
 * {@code worker}) the lookup reads the row itself (a primary-key read), as every lookup did before the push. Either
 * way an api node never answers from an index older than the last change that has returned, whichever node or worker
 * made it. The version is taken before the rows it tags, so a change committed during a load only makes the next
 * lookup load again.
 */
@Component
public class BudgetIndex {

  private static final Comparator<PublishedModel> BEST_FIRST = Comparator
      .comparing(PublishedModel::valTop1, Comparator.reverseOrder())
      .thenComparingDouble(PublishedModel::flops)
      .thenComparing(PublishedModel::id);

  /**
   * One release as the lookup sees it.
   *
   * @param ranked its evaluated, not withdrawn models, best first
   * @param models all its models
   * @param withdrawn how many of them are withdrawn
   * @param complete whether its job has published all its models
   */
  public record ReleaseView(UUID id, String space, List<PublishedModel> ranked, long models, long withdrawn,
      boolean complete) {}

  private record Snapshot(long version, Map<String, UUID> newestBySpace, Map<UUID, ReleaseView> releases) {}

  private final PublishedModelRepository models;
  private final Releases releases;
  private final CatalogVersionWatch watch;
  private volatile Snapshot snapshot;

  BudgetIndex(PublishedModelRepository models, Releases releases, CatalogVersionWatch watch) {
    this.models = models;
    this.releases = releases;
    this.watch = watch;
  }

  /** The newest complete release of a space, if it has one. */
  public Optional<UUID> newestRelease(String space) {
    return Optional.ofNullable(current().newestBySpace().get(space));
  }

  /**
   * The newest complete release of a space as the lookup sees it, if it has one: one version check for both steps.
   */
  public Optional<ReleaseView> newestReleaseView(String space) {
    Snapshot s = current();
    UUID id = s.newestBySpace().get(space);
    return id == null ? Optional.empty() : Optional.ofNullable(s.releases().get(id));
  }

  /** A release by id, if it exists. */
  public Optional<ReleaseView> release(UUID id) {
    return Optional.ofNullable(current().releases().get(id));
  }

  private Snapshot current() {
    OptionalLong pushed = watch.version();
    long version = pushed.isPresent() ? pushed.getAsLong() : releases.version();
    Snapshot s = snapshot;
    if (s == null || s.version() != version) {
      synchronized (this) {
        s = snapshot;
        if (s == null || s.version() != version) {
          s = load(version);
          snapshot = s;
        }
      }
    }
    return s;
  }

  private Snapshot load(long version) {
    Map<UUID, List<PublishedModel>> ranked = new HashMap<>();
    for (PublishedModel m : models.findByValTop1IsNotNullAndWithdrawnAtIsNull()) {
      ranked.computeIfAbsent(m.releaseId(), k -> new ArrayList<>()).add(m);
    }
    Map<UUID, ReleaseView> views = new HashMap<>();
    Map<String, Release> newest = new HashMap<>();
    for (Release r : releases.all()) {
      List<PublishedModel> list = new ArrayList<>(ranked.getOrDefault(r.id(), List.of()));
      list.sort(BEST_FIRST);
      views.put(r.id(), new ReleaseView(r.id(), r.space(), List.copyOf(list), r.models(), r.withdrawn(),
          r.publishedAt() != null));
      if (r.publishedAt() != null) {
        newest.merge(r.space(), r, (a, b) -> newer(a, b) ? a : b);
      }
    }
    Map<String, UUID> newestIds = new HashMap<>();
    newest.forEach((space, r) -> newestIds.put(space, r.id()));
    return new Snapshot(version, Map.copyOf(newestIds), Map.copyOf(views));
  }

  /** Later publication wins; the same instant: the later-created, then the larger id (any fixed order will do). */
  private static boolean newer(Release a, Release b) {
    int c = a.publishedAt().compareTo(b.publishedAt());
    if (c == 0) {
      c = a.createdAt().compareTo(b.createdAt());
    }
    return c != 0 ? c > 0 : a.id().compareTo(b.id()) > 0;
  }
}
