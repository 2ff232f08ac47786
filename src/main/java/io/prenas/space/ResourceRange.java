package io.prenas.space;

/** The smallest and largest parameter and FLOPs counts of a space's architectures (default bins, limits). */
public record ResourceRange(long minParams, long maxParams, double minFlops, double maxFlops) {}
