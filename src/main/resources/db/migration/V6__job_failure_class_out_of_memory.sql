-- A third failure class (issue 14, containment): OUT_OF_MEMORY, a job that ran out of memory at its size, Java heap
-- or native (the engine's allocator, the engine process's memory limits). Like DETERMINISTIC it is never retried; it
-- is told apart so that an operator sees at once that the job, not the server, needs a smaller size or more memory.
ALTER TABLE jobs DROP CONSTRAINT jobs_failure_class_check;
ALTER TABLE jobs
    ADD CONSTRAINT jobs_failure_class_check CHECK (failure_class IN ('DETERMINISTIC', 'TRANSIENT', 'OUT_OF_MEMORY'));
