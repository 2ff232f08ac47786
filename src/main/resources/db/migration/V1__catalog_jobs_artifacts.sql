-- PreNAS server schema, version 1. Flyway owns the schema; Hibernate only validates it (ddl-auto=validate).
-- JobRunr keeps its own tables (jobrunr_*), which it creates and migrates itself.

-- Content-addressed files in the storage directory (prenas.storage.dir): the file lives at <dir>/<path>.
CREATE TABLE artifacts (
    sha256      VARCHAR(64)  PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  BIGINT       NOT NULL CHECK (size_bytes >= 0),
    kind        VARCHAR(32)  NOT NULL,
    path        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

-- Search spaces known to the catalog: registered custom spaces (with their YAML), and built-in spaces that have
-- state here (imported supernet weights). Built-ins without state come from the jar's resources.
CREATE TABLE spaces (
    name                VARCHAR(64)  PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    built_in            BOOLEAN      NOT NULL,
    yaml                TEXT,
    supernet_sha256     VARCHAR(64)  REFERENCES artifacts (sha256),
    supernet_imported_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    CHECK (built_in OR yaml IS NOT NULL)
);

CREATE TABLE jobs (
    id                  UUID         PRIMARY KEY,
    type                VARCHAR(16)  NOT NULL CHECK (type IN ('SELECTION', 'TRAINING', 'EVALUATION', 'PIPELINE')),
    state               VARCHAR(16)  NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    space               VARCHAR(64)  NOT NULL,
    options             JSONB        NOT NULL,
    phase               VARCHAR(64),
    progress_done       BIGINT       NOT NULL DEFAULT 0,
    progress_total      BIGINT       NOT NULL DEFAULT 0,
    eta                 TIMESTAMPTZ,
    metrics             JSONB        NOT NULL DEFAULT '{}'::jsonb,
    worker              VARCHAR(200),
    attempts            INTEGER      NOT NULL DEFAULT 0,
    cancel_requested    BOOLEAN      NOT NULL DEFAULT FALSE,
    failure_reason      TEXT,
    log_lines           JSONB        NOT NULL DEFAULT '[]'::jsonb,
    idempotency_key     VARCHAR(200) UNIQUE,
    checkpoint_sha256   VARCHAR(64)  REFERENCES artifacts (sha256),
    created_at          TIMESTAMPTZ  NOT NULL,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX jobs_list_idx ON jobs (created_at DESC, id);
CREATE INDEX jobs_state_idx ON jobs (state, created_at DESC);
CREATE INDEX jobs_space_idx ON jobs (space, type, created_at DESC);

-- The preferred table written by a selection job: one row per kept candidate of a parameter bin.
CREATE TABLE preferred_architectures (
    id          BIGSERIAL    PRIMARY KEY,
    job_id      UUID         NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    space       VARCHAR(64)  NOT NULL,
    bin_key     VARCHAR(32)  NOT NULL,
    bin_lower   DOUBLE PRECISION NOT NULL,
    bin_upper   DOUBLE PRECISION NOT NULL,
    rank        INTEGER      NOT NULL CHECK (rank >= 1),
    arch_id     VARCHAR(400) NOT NULL,
    config      JSONB        NOT NULL,
    params      BIGINT       NOT NULL CHECK (params > 0),
    flops       DOUBLE PRECISION NOT NULL CHECK (flops > 0),
    score       DOUBLE PRECISION NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    UNIQUE (job_id, bin_key, rank)
);
CREATE INDEX preferred_space_idx ON preferred_architectures (space, job_id);

-- Published standalone subnets.
CREATE TABLE models (
    id              BIGSERIAL    PRIMARY KEY,
    space           VARCHAR(64)  NOT NULL,
    arch_id         VARCHAR(400) NOT NULL,
    config          JSONB        NOT NULL,
    params          BIGINT       NOT NULL CHECK (params > 0),
    flops           DOUBLE PRECISION NOT NULL CHECK (flops > 0),
    val_top1        DOUBLE PRECISION,
    val_top5        DOUBLE PRECISION,
    artifact_sha256 VARCHAR(64)  NOT NULL REFERENCES artifacts (sha256),
    artifact_size   BIGINT       NOT NULL,
    job_id          UUID         REFERENCES jobs (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ  NOT NULL
);
-- The budget lookup: WHERE space = ? AND params <= ? AND flops <= ? ORDER BY val_top1 DESC, flops, id.
-- Index-only range scan on the budget, accuracy carried along, so no full scan and no heap visit per candidate.
CREATE INDEX models_budget_idx ON models (space, params, flops) INCLUDE (val_top1, id);
CREATE INDEX models_space_accuracy_idx ON models (space, val_top1 DESC NULLS LAST, flops, id);
CREATE INDEX models_job_idx ON models (job_id);
