package io.prenas.catalog;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Rows of {@code spaces}. */
public interface SpaceRecordRepository extends JpaRepository<SpaceRecord, String> {
  List<SpaceRecord> findAllByOrderByNameAsc();
}
