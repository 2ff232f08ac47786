/**
 * The CNN family's supernet on DJL (spec {@code cnn-space.md} §4-§6): BigNAS weight sharing (leading channels, centre
 * kernels, first d slots, per-architecture resolution), BatchNorm with sliced running statistics kept as buffers
 * beside the parameters, their recalibration, and the standalone export that carries its own statistics.
 */
package io.prenas.cnn.engine;
