package io.prenas.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code spaces}: a registered custom space (with its YAML) or a built-in space that has state here
 * (imported supernet weights).
 */
@Entity
@Table(name = "spaces")
public class SpaceRecord {

  @Id
  @Column(name = "name", length = 64)
  private String name;

  @Column(name = "built_in", nullable = false)
  private boolean builtIn;

  @Column(name = "yaml")
  private String yaml;

  @Column(name = "supernet_sha256", length = 64)
  private String supernetSha256;

  @Column(name = "supernet_imported_at")
  private Instant supernetImportedAt;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected SpaceRecord() {}

  SpaceRecord(String name, boolean builtIn, String yaml) {
    this.name = name;
    this.builtIn = builtIn;
    this.yaml = yaml;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
  }

  public String name() {
    return name;
  }

  public boolean builtIn() {
    return builtIn;
  }

  public String yaml() {
    return yaml;
  }

  public String supernetSha256() {
    return supernetSha256;
  }

  public Instant supernetImportedAt() {
    return supernetImportedAt;
  }

  public Instant createdAt() {
    return createdAt;
  }

  void supernetImported(String sha256) {
    this.supernetSha256 = sha256;
    this.supernetImportedAt = Instant.now();
    this.updatedAt = supernetImportedAt;
  }
}
