/**
 * The weight-entangled ViT supernet of PreNAS on DJL (PyTorch engine), bit-compatible with the reference's weights.
 *
 * <p>Public entry points take and return only {@code io.prenas.space} records, {@code io.prenas.tensorio} types and
 * JDK types; devices are named by strings ({@code "cpu"}, {@code "gpu0"}, null = engine default):
 * <ul>
 *   <li>{@link io.prenas.supernet.VitSupernet}: supernet tensors in the reference {@code state_dict} layout
 *       ({@link io.prenas.supernet.SupernetLayout}); evaluation logits of any architecture by slicing.</li>
 *   <li>{@link io.prenas.supernet.GradientPass}: one training-mode forward/backward of the max architecture for the
 *       zero-cost selector; weights and gradients as tensors.</li>
 *   <li>{@link io.prenas.supernet.SubnetExporter} and {@link io.prenas.supernet.VitModel}: standalone subnet files
 *       ({@link io.prenas.supernet.SupernetLayout#subnetShapes}) and the plain model that runs them.</li>
 *   <li>{@link io.prenas.supernet.TrainStepBenchmark}: timed training steps with per-step RSS.</li>
 * </ul>
 *
 * <p>Inside, one forward implementation ({@code VitForward}, {@code EncoderBlock}, {@code Attention}, {@code Mlp},
 * {@code RelativePosition2D}) runs on weights in plain shapes; the supernet produces them per pass as views
 * ({@code SubnetSlicer}), the standalone model holds them directly. Every array of a pass belongs to a per-pass
 * manager; the weights' manager never receives anything after loading. All backward passes go through
 * {@code Autograd}, which serialises them (DJL allows one gradient collector per JVM).
 */
package io.prenas.supernet;

