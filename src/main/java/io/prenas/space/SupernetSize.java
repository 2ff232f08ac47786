package io.prenas.space;

/**
 * How big a space's weight-sharing supernet is, in the terms that registration limits bound, whatever the family.
 *
 * @param depth blocks of the supernet (the deepest architecture)
 * @param width the widest tensor dimension of a block (for a ViT: the larger of the embedding and MLP widths)
 * @param parameters trainable scalars of the supernet; a double because an absurd space may exceed a long, and a
 *     limit needs no exact count
 */
public record SupernetSize(int depth, int width, double parameters) {}
