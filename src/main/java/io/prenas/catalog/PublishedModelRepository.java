package io.prenas.catalog;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Rows of {@code models}. The budget lookup and its explanations run on {@link BudgetIndex}. */
public interface PublishedModelRepository extends JpaRepository<PublishedModel, Long> {

  List<PublishedModel> findByJobIdOrderByIdAsc(UUID jobId);

  /** Every model that has a validation accuracy and is not withdrawn (the budget index's working set). */
  List<PublishedModel> findByValTop1IsNotNullAndWithdrawnAtIsNull();

  /** A model locked for an update (its withdrawal). */
  @org.springframework.data.jpa.repository.Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
  @Query("SELECT m FROM PublishedModel m WHERE m.id = :id")
  java.util.Optional<PublishedModel> findForUpdate(@Param("id") long id);

  @Query("""
      SELECT m FROM PublishedModel m
      WHERE m.releaseId = :release
        AND (:maxParams IS NULL OR m.params <= :maxParams)
        AND (:maxFlops IS NULL OR m.flops <= :maxFlops)""")
  Page<PublishedModel> searchRelease(@Param("release") UUID release, @Param("maxParams") Long maxParams,
      @Param("maxFlops") Double maxFlops, Pageable page);

  @Query("""
      SELECT m FROM PublishedModel m
      WHERE (:space IS NULL OR m.space = :space)
        AND (:maxParams IS NULL OR m.params <= :maxParams)
        AND (:maxFlops IS NULL OR m.flops <= :maxFlops)""")
  Page<PublishedModel> search(@Param("space") String space, @Param("maxParams") Long maxParams,
      @Param("maxFlops") Double maxFlops, Pageable page);

  /**
   * Records the ONNX file of a model that had none; a model that has one keeps it (two nodes that made it at once made
   * the same bytes).
   *
   * @return 1 when recorded, 0 when the model already had one (or does not exist)
   */
  @Transactional
  @Modifying
  @Query("UPDATE PublishedModel m SET m.onnxSha256 = :sha256, m.onnxSize = :size WHERE m.id = :id"
      + " AND m.onnxSha256 IS NULL")
  int recordOnnx(@Param("id") long id, @Param("sha256") String sha256, @Param("size") long size);
}
