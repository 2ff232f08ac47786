package io.prenas.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The database row of a stored file: hash, size, kind and path relative to the storage directory. */
@Entity
@Table(name = "artifacts")
public class Artifact {

  @Id
  @Column(name = "sha256", length = 64)
  private String sha256;

  @Column(name = "size_bytes", nullable = false)
  private long sizeBytes;

  @Enumerated(EnumType.STRING)
  @Column(name = "kind", nullable = false, length = 32)
  private ArtifactKind kind;

  @Column(name = "path", nullable = false, length = 200)
  private String path;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Artifact() {}

  Artifact(String sha256, long sizeBytes, ArtifactKind kind, String path, Instant createdAt) {
    this.sha256 = sha256;
    this.sizeBytes = sizeBytes;
    this.kind = kind;
    this.path = path;
    this.createdAt = createdAt;
  }

  public String sha256() {
    return sha256;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public ArtifactKind kind() {
    return kind;
  }

  public String path() {
    return path;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
