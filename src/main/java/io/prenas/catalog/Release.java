package io.prenas.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * One publication of a space: the models one pipeline or evaluation job published.
 *
 * @param id the release's id: the publishing job's id (models published without a job: one per space)
 * @param job the publishing job, or null (no job, or the job row was deleted since)
 * @param datasetFingerprint the fingerprint of the data its models were evaluated on, or null when unknown
 * @param models how many models it published
 * @param withdrawn how many of them are withdrawn
 * @param publishedAt when it was complete, or null while its job is still publishing
 */
public record Release(UUID id, String space, UUID job, String datasetFingerprint, long models, long withdrawn,
    Instant createdAt, Instant publishedAt) {}
