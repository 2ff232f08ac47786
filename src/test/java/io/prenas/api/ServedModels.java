package io.prenas.api;

import io.prenas.catalog.ModelCatalog;
import io.prenas.catalog.PublishedModel;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import java.io.ByteArrayInputStream;

/** Publishes models of the micro space with given weights bytes, for the serving port's tests. */
record ServedModels(ArtifactStore artifacts, ModelCatalog models) {

  /** A model of {@code space} (architecture e96_d3, top-5 = top-1 + 20) whose weights file is {@code weights}. */
  PublishedModel publish(String space, long params, double flops, double top1, byte[] weights) throws Exception {
    StoredArtifact stored = artifacts.store(new ByteArrayInputStream(weights), ArtifactKind.SUBNET_WEIGHTS, 1 << 22);
    return models.publish(space, "e96_d3_h1-1-1_m4-4-4", "{\"layer_num\": 3, \"embed_dim\": [96, 96, 96]}", params,
        flops, top1, top1 + 20, stored, null);
  }
}
