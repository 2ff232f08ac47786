package io.prenas.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Rows of {@code models}. The budget lookup itself runs on {@link BudgetIndex}; the smallest-budget queries that explain
 * an empty answer are served by {@code models_budget_idx}.
 */
public interface PublishedModelRepository extends JpaRepository<PublishedModel, Long> {

  /** Smallest parameter count among the space's models that have an accuracy (with no FLOPs bound). */
  @Query(value = "SELECT MIN(params) FROM models WHERE space = :space AND val_top1 IS NOT NULL", nativeQuery = true)
  Long minParams(@Param("space") String space);

  @Query(value = "SELECT MIN(params) FROM models WHERE space = :space AND flops <= :maxFlops AND val_top1 IS NOT NULL",
      nativeQuery = true)
  Long minParamsWithin(@Param("space") String space, @Param("maxFlops") double maxFlops);

  @Query(value = "SELECT MIN(flops) FROM models WHERE space = :space AND params <= :maxParams AND val_top1 IS NOT NULL",
      nativeQuery = true)
  Double minFlopsWithin(@Param("space") String space, @Param("maxParams") long maxParams);

  @Query(value = "SELECT MIN(flops) FROM models WHERE space = :space AND val_top1 IS NOT NULL", nativeQuery = true)
  Double minFlops(@Param("space") String space);

  Optional<PublishedModel> findFirstBySpaceAndValTop1IsNotNullOrderByParamsAscFlopsAsc(String space);

  List<PublishedModel> findByJobIdOrderByIdAsc(UUID jobId);

  /** Every model that has a validation accuracy (the budget index's working set). */
  List<PublishedModel> findByValTop1IsNotNull();

  @Query("""
      SELECT m FROM PublishedModel m
      WHERE (:space IS NULL OR m.space = :space)
        AND (:maxParams IS NULL OR m.params <= :maxParams)
        AND (:maxFlops IS NULL OR m.flops <= :maxFlops)""")
  Page<PublishedModel> search(@Param("space") String space, @Param("maxParams") Long maxParams,
      @Param("maxFlops") Double maxFlops, Pageable page);
}
