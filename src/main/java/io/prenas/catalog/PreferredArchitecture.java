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

/** One row of a preferred table: a kept candidate of a parameter bin, written by a selection job. */
@Entity
@Table(name = "preferred_architectures")
public class PreferredArchitecture {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "job_id", nullable = false)
  private UUID jobId;

  @Column(name = "space", nullable = false, length = 64)
  private String space;

  @Column(name = "bin_key", nullable = false, length = 32)
  private String binKey;

  @Column(name = "bin_lower", nullable = false)
  private double binLower;

  @Column(name = "bin_upper", nullable = false)
  private double binUpper;

  @Column(name = "rank", nullable = false)
  private int rank;

  @Column(name = "arch_id", nullable = false, length = 400)
  private String archId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "config", nullable = false)
  private String config;

  @Column(name = "params", nullable = false)
  private long params;

  @Column(name = "flops", nullable = false)
  private double flops;

  @Column(name = "score", nullable = false)
  private double score;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected PreferredArchitecture() {}

  /** A new row; {@code config} is the reference JSON config of the architecture. */
  public PreferredArchitecture(UUID jobId, String space, String binKey, double binLower, double binUpper, int rank,
      String archId, String config, long params, double flops, double score) {
    this.jobId = jobId;
    this.space = space;
    this.binKey = binKey;
    this.binLower = binLower;
    this.binUpper = binUpper;
    this.rank = rank;
    this.archId = archId;
    this.config = config;
    this.params = params;
    this.flops = flops;
    this.score = score;
    this.createdAt = Instant.now();
  }

  public Long id() {
    return id;
  }

  public UUID jobId() {
    return jobId;
  }

  public String space() {
    return space;
  }

  public String binKey() {
    return binKey;
  }

  public double binLower() {
    return binLower;
  }

  public double binUpper() {
    return binUpper;
  }

  public int rank() {
    return rank;
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

  public double score() {
    return score;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
