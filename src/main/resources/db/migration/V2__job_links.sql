-- Links between jobs become columns of the job row instead of keys inside its metrics JSON:
--   selection_job    the selection whose preferred table a training, evaluation or pipeline used (a pipeline: itself);
--   training_job     the training or pipeline whose supernet an evaluation evaluated;
--   supernet_sha256  the supernet a training or pipeline trained, or an evaluation evaluated.
-- (A training's starting supernet stays where it was asked for: options.trainingJob.)
ALTER TABLE jobs
    ADD COLUMN selection_job   UUID        REFERENCES jobs (id) ON DELETE SET NULL,
    ADD COLUMN training_job    UUID        REFERENCES jobs (id) ON DELETE SET NULL,
    ADD COLUMN supernet_sha256 VARCHAR(64) REFERENCES artifacts (sha256);

-- Backfill from the metrics of jobs written before: a value moves to its column (and out of the metrics) only when
-- it is well formed and names a row that exists, so the new foreign keys hold; anything else stays in the metrics.
UPDATE jobs j
SET selection_job = (j.metrics ->> 'selectionJob')::uuid,
    metrics = j.metrics - 'selectionJob'
WHERE j.metrics ->> 'selectionJob' ~ '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
  AND EXISTS (SELECT 1 FROM jobs s WHERE s.id = (j.metrics ->> 'selectionJob')::uuid);

UPDATE jobs j
SET training_job = (j.metrics ->> 'trainingJob')::uuid,
    metrics = j.metrics - 'trainingJob'
WHERE j.metrics ->> 'trainingJob' ~ '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
  AND EXISTS (SELECT 1 FROM jobs t WHERE t.id = (j.metrics ->> 'trainingJob')::uuid);

UPDATE jobs j
SET supernet_sha256 = j.metrics ->> 'supernetSha256',
    metrics = j.metrics - 'supernetSha256'
WHERE EXISTS (SELECT 1 FROM artifacts a WHERE a.sha256 = j.metrics ->> 'supernetSha256');

-- Indexed so that deleting a job (ON DELETE SET NULL) finds the rows that link to it without a scan.
CREATE INDEX jobs_selection_job_idx ON jobs (selection_job);
CREATE INDEX jobs_training_job_idx ON jobs (training_job);
