-- Judge schema 0002: the results backends query with plain SQL. The silo that owns a submission writes them as
-- judging progresses: one row per submission, one row per judged test. Writes are idempotent upserts ordered by
-- revision (the submission's own write counter), so a repeated or late write never replaces newer data, and a
-- finished submission's row never changes again.

CREATE TABLE judge_submissions
(
    id          varchar(128) PRIMARY KEY,
    problem     varchar(256) NOT NULL,
    language    varchar(32)  NOT NULL,
    status      varchar(16)  NOT NULL CHECK (status IN ('queued', 'compiling', 'running', 'finished')),
    verdict     varchar(4)   CHECK (verdict IN ('AC', 'WA', 'PE', 'TLE', 'MLE', 'OLE', 'RE', 'CE', 'IE', 'SK')),
    score       double precision,
    time_ms     bigint,        -- largest CPU time over the tests run
    memory_kb   bigint,        -- largest peak memory over the tests run
    test_count  integer,
    message     text,
    judged_by   varchar(256),  -- the silo that judged the final attempt
    created_at  timestamptz  NOT NULL,
    finished_at timestamptz,
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    revision    bigint       NOT NULL,
    CHECK ((status = 'finished') = (verdict IS NOT NULL))
);
CREATE INDEX judge_submissions_created ON judge_submissions (created_at);
CREATE INDEX judge_submissions_unfinished ON judge_submissions (status) WHERE status <> 'finished';

CREATE TABLE judge_test_results
(
    submission_id varchar(128) NOT NULL REFERENCES judge_submissions (id) ON DELETE CASCADE,
    ordinal       integer      NOT NULL,  -- run order, from 0
    name          varchar(256) NOT NULL,  -- e.g. sample/1, secret/group1/03
    verdict       varchar(4)   NOT NULL CHECK (verdict IN ('AC', 'WA', 'PE', 'TLE', 'MLE', 'OLE', 'RE', 'CE', 'IE', 'SK')),
    time_ms       bigint       NOT NULL,
    wall_ms       bigint       NOT NULL,
    memory_kb     bigint       NOT NULL,
    exit_code     integer,
    signal        varchar(32),
    message       text,
    PRIMARY KEY (submission_id, ordinal)
);
