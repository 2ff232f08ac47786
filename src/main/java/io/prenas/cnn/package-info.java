/**
 * The CNN model family (BigNAS / MobileNetV2 search spaces, spec {@code cnn-space.md}), registered in
 * {@code META-INF/services/io.prenas.space.ModelFamily} through {@link io.prenas.cnn.CnnFamily}:
 * <ul>
 *   <li>{@code cnn.space} (pure Java): {@code CnnSpace}, {@code CnnArchitecture} with its JSON and id, the
 *       {@code TYPE: cnn} YAML reader, exact params and FLOPs ({@code CnnComplexity}) and the exact resource range
 *       by a dynamic program over stages ({@code CnnResourceRange}).</li>
 * </ul>
 * The supernet and the selector are not there yet. No class outside this package names one of its classes.
 */
package io.prenas.cnn;
