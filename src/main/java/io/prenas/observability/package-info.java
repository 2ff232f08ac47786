/**
 * Observability: the {@code prenas_*} Prometheus metrics (jobs by state and type, queue length, training throughput
 * and loss). The request latency histograms are Spring's {@code http.server.requests} timers with the buckets set in
 * {@code application.properties}. Spring and Micrometer only; never imports DJL (engine code reports through plain
 * calls).
 */
package io.prenas.observability;
