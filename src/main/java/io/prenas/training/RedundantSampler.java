package io.prenas.training;

import io.prenas.space.Architecture;
import io.prenas.space.SearchSpace;

/**
 * Sampling over the whole space (the AutoFormer-style baseline PreNAS improves on): each step draws an architecture
 * choice by choice with {@link SearchSpace#sample} (for a ViT: a uniform embedding width and depth, then a uniform MLP
 * ratio and head count per layer).
 */
public final class RedundantSampler implements ArchSampler {

  private final SearchSpace space;

  public RedundantSampler(SearchSpace space) {
    this.space = space;
  }

  @Override
  public Architecture sample(long seed, int epoch, long step) {
    return space.sample(ArchSampler.rngFor(seed, epoch, step));
  }

  @Override
  public String kind() {
    return "redundant";
  }
}
