-- Issue 12: model cards, releases and withdrawal.
--
-- A release is one publication of a space: the models one pipeline or evaluation job published (id = that job's id).
-- published_at is set when the job has published all its models, so a release becomes a space's newest (the one
-- models/best answers from) all at once, never half-published. Models published without a job (tools, tests) go to
-- one release per space that is complete at once.
CREATE TABLE releases (
    id                  UUID         PRIMARY KEY,
    space               VARCHAR(64)  NOT NULL,
    job_id              UUID         REFERENCES jobs (id) ON DELETE SET NULL,
    dataset_fingerprint VARCHAR(64),
    created_at          TIMESTAMPTZ  NOT NULL,
    published_at        TIMESTAMPTZ
);
CREATE INDEX releases_space_idx ON releases (space, published_at DESC);

ALTER TABLE models
    ADD COLUMN release_id       UUID        REFERENCES releases (id),
    ADD COLUMN card             JSONB,
    ADD COLUMN withdrawn_at     TIMESTAMPTZ,
    ADD COLUMN withdrawn_reason TEXT,
    ADD CONSTRAINT models_withdrawn_reason_check CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL));
CREATE INDEX models_release_idx ON models (release_id, id);

-- Models published before: one release per (space, job), complete, published when its first model was; models
-- without a job: one release per space, with an id derived from the space's name.
INSERT INTO releases (id, space, job_id, dataset_fingerprint, created_at, published_at)
SELECT COALESCE(m.job_id, md5('unreleased:' || m.space)::uuid), m.space, m.job_id, NULL, min(m.created_at),
       min(m.created_at)
FROM models m
GROUP BY m.space, m.job_id;

UPDATE models SET release_id = COALESCE(job_id, md5('unreleased:' || space)::uuid);

-- Their cards: what is known without the data (lineage from the job row, the release); preprocessing, labels and
-- dataset stay null, since the data may have changed or gone since.
UPDATE models m
SET card = jsonb_build_object(
    'preprocessing', NULL,
    'labels', NULL,
    'dataset', NULL,
    'lineage', jsonb_build_object(
        'selectionJob', j.selection_job,
        'trainingJob', CASE WHEN j.type = 'PIPELINE' THEN j.id ELSE j.training_job END,
        'evaluationJob', j.id,
        'supernetSha256', j.supernet_sha256),
    'release', m.release_id)
FROM jobs j
WHERE j.id = m.job_id;

UPDATE models
SET card = jsonb_build_object('preprocessing', NULL, 'labels', NULL, 'dataset', NULL, 'lineage', NULL,
    'release', release_id)
WHERE card IS NULL;

ALTER TABLE models ALTER COLUMN release_id SET NOT NULL;

-- One counter that every change to what models/best may answer (a publication, a completed release, a withdrawal)
-- increments in its own transaction. Each api node compares it with the one its in-memory budget index was loaded
-- at, on every lookup, so no node answers from a stale index.
CREATE TABLE model_catalog_version (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    version BIGINT   NOT NULL
);
INSERT INTO model_catalog_version (id, version) VALUES (1, 1);
