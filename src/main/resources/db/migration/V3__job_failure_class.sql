-- Which kind of failure a job's failure_reason is (issue 14):
--   DETERMINISTIC  it would fail the same way again (invalid options or data, out of memory at its size, a corrupt
--                  file, a bug): the job fails on its first attempt, without a retry;
--   TRANSIENT      the cause may pass (database outage, a worker that died, storage unavailable for a moment): the
--                  job is retried with backoff until prenas.jobs.max-attempts, and says TRANSIENT if it still fails.
-- NULL while a job has not failed (a retried job that then succeeds is cleared with its reason).
ALTER TABLE jobs
    ADD COLUMN failure_class VARCHAR(16)
        CONSTRAINT jobs_failure_class_check CHECK (failure_class IN ('DETERMINISTIC', 'TRANSIENT'));
