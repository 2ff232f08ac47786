package io.prenas.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prenas.space.SearchSpace;
import java.time.Instant;

/**
 * A space as the catalog knows it: the parsed space, its family's summary ({@link SearchSpace#describe()}, computed
 * once per space; read-only), whether it is built in, its YAML (registered spaces) and the imported supernet weights,
 * if any.
 */
public record SpaceInfo(String name, boolean builtIn, SearchSpace space, ObjectNode summary, String yaml,
    String supernetSha256, Instant supernetImportedAt, Instant registeredAt) {}
