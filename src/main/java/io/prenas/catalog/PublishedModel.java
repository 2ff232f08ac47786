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

  @Column(name = "onnx_sha256", length = 64)
  private String onnxSha256;

  @Column(name = "onnx_size")
  private Long onnxSize;

  @Column(name = "job_id")
  private UUID jobId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "release_id", nullable = false)
  private UUID releaseId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "card")
  private String card;

  @Column(name = "withdrawn_at")
  private Instant withdrawnAt;

  @Column(name = "withdrawn_reason")
  private String withdrawnReason;

  protected PublishedModel() {}

  public PublishedModel(String space, String archId, String config, long params, double flops, Double valTop1,
      Double valTop5, String artifactSha256, long artifactSize, String onnxSha256, Long onnxSize, UUID jobId,
      UUID releaseId, ModelCard card) {
    if ((onnxSha256 == null) != (onnxSize == null)) {
      throw new IllegalArgumentException("onnxSha256 and onnxSize go together");
    }
    this.space = space;
    this.archId = archId;
    this.config = config;
    this.params = params;
    this.flops = flops;
    this.valTop1 = valTop1;
    this.valTop5 = valTop5;
    this.artifactSha256 = artifactSha256;
    this.artifactSize = artifactSize;
    this.onnxSha256 = onnxSha256;
    this.onnxSize = onnxSize;
    this.jobId = jobId;
    this.createdAt = Instant.now();
    this.releaseId = releaseId;
    this.card = card == null ? null : card.toJson();
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

  /** SHA-256 of the model's ONNX file, or null while it has none yet (published before ONNX files existed). */
  public String onnxSha256() {
    return onnxSha256;
  }

  public Long onnxSize() {
    return onnxSize;
  }

  public UUID jobId() {
    return jobId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** The release (publication) this model belongs to. */
  public UUID releaseId() {
    return releaseId;
  }

  /** The model card; models from before cards have one with only lineage and release. */
  public ModelCard card() {
    return card == null ? new ModelCard(null, null, null, null, releaseId) : ModelCard.fromJson(card);
  }

  /** Takes the model out of the budget lookup (kept, and downloadable by id); no effect once withdrawn. */
  void withdraw(String reason, Instant at) {
    if (withdrawnAt == null) {
      withdrawnAt = at;
      withdrawnReason = reason;
    }
  }

  public boolean withdrawn() {
    return withdrawnAt != null;
  }

  public Instant withdrawnAt() {
    return withdrawnAt;
  }

  public String withdrawnReason() {
    return withdrawnReason;
  }
}
