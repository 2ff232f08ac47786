package io.prenas.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A published standalone subnet: its architecture, cost, accuracy and weights artifact. */
@Entity
@Table(name = "models")
public class PublishedModel {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "space", nullable = false, length = 64)
  private String space;

  @Column(name = "arch_id", nullable = false, length = 400)
  private String archId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "config", nullable = false)
  private String config;

  @Column(name = "params", nullable = false)
  private long params;

  @Column(name = "flops", nullable = false)
  private double flops;

  @Column(name = "val_top1")
  private Double valTop1;

  @Column(name = "val_top5")
  private Double valTop5;

  @Column(name = "artifact_sha256", nullable = false, length = 64)
  private String artifactSha256;

  @Column(name = "artifact_size", nullable = false)
  private long artifactSize;

  @Column(name = "job_id")
  private UUID jobId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected PublishedModel() {}

  public PublishedModel(String space, String archId, String config, long params, double flops, Double valTop1,
      Double valTop5, String artifactSha256, long artifactSize, UUID jobId) {
    this.space = space;
    this.archId = archId;
    this.config = config;
    this.params = params;
    this.flops = flops;
    this.valTop1 = valTop1;
    this.valTop5 = valTop5;
    this.artifactSha256 = artifactSha256;
    this.artifactSize = artifactSize;
    this.jobId = jobId;
    this.createdAt = Instant.now();
  }

  public Long id() {
    return id;
  }

  public String space() {
    return space;
  }

  public String archId() {
    return archId;
  }

  public String config() {
    return config;
  }

  public long params() {
    return params;
  }

  public double flops() {
    return flops;
  }

  public Double valTop1() {
    return valTop1;
  }

  public Double valTop5() {
    return valTop5;
  }

  public String artifactSha256() {
    return artifactSha256;
  }

  public long artifactSize() {
    return artifactSize;
  }

  public UUID jobId() {
    return jobId;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
