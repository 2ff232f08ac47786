package io.prenas.storage;

import org.springframework.data.jpa.repository.JpaRepository;

/** Rows of the {@code artifacts} table. */
public interface ArtifactRepository extends JpaRepository<Artifact, String> {}
