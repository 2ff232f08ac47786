/**
 * The family-neutral supernet engine on DJL (PyTorch engine): what runs the same for every model family.
 *
 * <p>Public entry points take and return only {@code io.prenas.space} types, {@code io.prenas.tensorio} types and
 * JDK types; devices are named by strings ({@code "cpu"}, {@code "gpu0"}, null = engine default):
 * <ul>
 *   <li>{@link io.prenas.supernet.SupernetFactory} (the port a family implements) and
 *       {@link io.prenas.supernet.Supernet}: a family's weight-sharing supernet, its forward pass and export.</li>
 *   <li>{@link io.prenas.supernet.TrainingSession}: the one training step (forward, soft-target loss, backward,
 *       clipping, {@code AdamW}) and evaluation batches.</li>
 *   <li>{@link io.prenas.supernet.GradientPass}: one training-mode forward/backward of the max architecture for the
 *       zero-cost selector; weights and gradients as tensors.</li>
 *   <li>{@link io.prenas.supernet.TrainStepBenchmark}: timed training steps with per-step RSS.</li>
 * </ul>
 *
 * <p>The building blocks a family's forward pass uses ({@code ParameterSet}, {@code ForwardMode}, {@code DropPath},
 * {@code Scalars}, {@code Release}, {@code NdConvert}, {@code GradMode}) are public for the family packages; edge code
 * cannot call the ones with DJL types in their signatures ({@code LayeringTest}). Every array of a pass belongs to a
 * per-pass manager; the weights' manager never receives anything after loading. All backward passes go through
 * {@code Autograd}, which serialises them (DJL allows one gradient collector per JVM).
 */
package io.prenas.supernet;
