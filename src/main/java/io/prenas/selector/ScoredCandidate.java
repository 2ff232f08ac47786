package io.prenas.selector;

import io.prenas.space.Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One enumerated architecture with its cost and score.
 *
 * @param index position in the enumeration order (the reference's order, which breaks score ties)
 * @param params parameter count (the reference's {@code get_sampled_params_numel})
 * @param flops FLOPs in the reference's {@code get_complexity} convention
 * @param score SNIP score Σ|θ·g| in the selection's {@link ScoreMode}
 * @param isomerGroupSize how many architectures this candidate stands for (for a ViT: those sharing its width, depth
 *     and per-choice layer counts, of which the greedy allocation picked this one; 1 for a family that scores every
 *     architecture it considers)
 */
public record ScoredCandidate(int index, Architecture architecture, long params, double flops, double score,
    long isomerGroupSize) {}
