package io.prenas.catalog;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Rows of {@code preferred_architectures}; only {@link PreferredTables} uses them. */
interface PreferredArchitectureRepository extends JpaRepository<PreferredArchitecture, Long> {

  List<PreferredArchitecture> findBySpaceAndJobIdOrderByBinLowerAscRankAsc(String space, UUID jobId);

  /** The newest preferred row of a space (its job wrote the latest table). */
  PreferredArchitecture findFirstBySpaceOrderByCreatedAtDescIdDesc(String space);

  long deleteByJobId(UUID jobId);
}
