/**
 * CNN search spaces in pure Java (no DJL, no Spring): the {@code TYPE: cnn} space YAML, the architecture JSON and
 * canonical id, and exact parameter and FLOPs counting of spec {@code cnn-space.md} §1-§3 and §7.
 */
package io.prenas.cnn.space;
