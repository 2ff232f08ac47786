package io.prenas.catalog;

import io.prenas.space.SearchSpace;
import java.time.Instant;

/**
 * A space as the catalog knows it: the parsed space, whether it is built in, its YAML (registered spaces) and the
 * imported supernet weights, if any.
 */
public record SpaceInfo(String name, boolean builtIn, SearchSpace space, String yaml, String supernetSha256,
    Instant supernetImportedAt, Instant registeredAt) {}
