/**
 * Content-addressed artifact storage: supernet weights, subnet weights and checkpoints under {@code prenas.storage.dir},
 * keyed by SHA-256, written atomically, with one database row per file. Never imports DJL.
 */
package io.prenas.storage;
