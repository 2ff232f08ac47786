package io.prenas.catalog;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Rows of {@code models}. The budget lookup and its explanations run on {@link BudgetIndex}. */
public interface PublishedModelRepository extends JpaRepository<PublishedModel, Long> {

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
