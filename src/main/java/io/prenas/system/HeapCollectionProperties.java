package io.prenas.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code prenas.heap-collection.*}: full collections of the JVM heap after start-up and after jobs
 * ({@link HeapCollections}).
 *
 * @param enabled false (env {@code PRENAS_HEAP_COLLECTION_ENABLED=false}) turns them off
 */
@ConfigurationProperties("prenas.heap-collection")
record HeapCollectionProperties(@DefaultValue("true") boolean enabled) {}
