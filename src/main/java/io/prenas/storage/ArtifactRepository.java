package io.prenas.storage;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Rows of the {@code artifacts} table. */
public interface ArtifactRepository extends JpaRepository<Artifact, String> {

  /**
   * Deletes a checkpoint's row when no job names it as its checkpoint any more (content addressing: two jobs that
   * trained alike share the file). Returns 1 when deleted.
   */
  @Transactional
  @Modifying(clearAutomatically = true, flushAutomatically = true)
  @Query(value = """
      DELETE FROM artifacts WHERE sha256 = :sha AND kind = 'CHECKPOINT'
        AND NOT EXISTS (SELECT 1 FROM jobs WHERE checkpoint_sha256 = :sha)""", nativeQuery = true)
  int deleteUnusedCheckpoint(@Param("sha") String sha256);
}
