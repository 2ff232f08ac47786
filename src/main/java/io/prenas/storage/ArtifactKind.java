package io.prenas.storage;

/** What an artifact holds. */
public enum ArtifactKind {
  /** Supernet weights in the reference safetensors layout (imported or trained). */
  SUPERNET_WEIGHTS,
  /** A standalone subnet's weights (a published model). */
  SUBNET_WEIGHTS,
  /** A standalone subnet as an ONNX model (made from its {@code SUBNET_WEIGHTS} file). */
  SUBNET_ONNX,
  /** A training checkpoint (weights plus optimizer and sampler state). */
  CHECKPOINT
}
