/**
 * The CNN model family (BigNAS / MobileNetV2 search spaces, spec {@code cnn-space.md}), registered in
 * {@code META-INF/services/io.prenas.space.ModelFamily} through {@link io.prenas.cnn.CnnFamily}:
 * <ul>
 *   <li>{@code cnn.space} (pure Java): {@code CnnSpace}, {@code CnnArchitecture} with its JSON and id, the
 *       {@code TYPE: cnn} YAML reader, exact params and FLOPs ({@code CnnComplexity}) and the exact resource range
 *       by a dynamic program over stages ({@code CnnResourceRange}).</li>
 *   <li>{@code cnn.engine} (DJL): the supernet ({@code CnnSupernet} behind {@code SupernetFactory}) with BigNAS
 *       weight sharing, BatchNorm running statistics as buffers, their recalibration, and the standalone export
 *       ({@code CnnSubnetExporter}, {@code CnnModel}).</li>
 * </ul>
 * The selector is not there yet. No class outside this package names one of its classes.
 */
package io.prenas.cnn;
