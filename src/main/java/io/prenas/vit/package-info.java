/**
 * The Vision Transformer model family (AutoFormer spaces, as in the PreNAS reference), registered in
 * {@code META-INF/services/io.prenas.space.ModelFamily} through {@link io.prenas.vit.VitFamily}:
 * <ul>
 *   <li>{@code vit.space} (pure Java): {@code VitSpace}, {@code VitArchitecture}, parameter and FLOPs counting,
 *       isomer groups and the greedy allocation, the reference's YAML and architecture JSON formats;</li>
 *   <li>{@code vit.engine} (DJL): the supernet in the reference {@code state_dict} layout ({@code SupernetLayout}),
 *       slicing inside the pass ({@code SubnetSlicer}), one forward implementation ({@code VitForward},
 *       {@code EncoderBlock}, {@code Attention} with {@code AttentionCore}, {@code Mlp}, {@code RelativePosition2D})
 *       for the supernet and the standalone {@code VitModel}, and {@code SubnetExporter};</li>
 *   <li>{@code vit.selection}: layer-normalised SNIP block scores, the per-slice partial sums of each score mode
 *       ({@code SubnetScorer}, {@code ReferenceScorer}) and the enumeration of one architecture per isomer group.</li>
 * </ul>
 * No class outside this package names one of its classes; the pipeline reaches it through the ports.
 */
package io.prenas.vit;
