-- Judge schema 0003: judgings. A submission can be judged again (POST /api/submissions/{id}/rejudge); each judging
-- has a number, 1 for the first. judge_submissions holds the current judging (its number in `judging`), and
-- judge_test_results the test rows of the current judging only (a new judging starts with none). judge_judgings
-- keeps one row per finished judging, the current one included once it is finished, so backends read every verdict a
-- submission ever had. Writes stay idempotent upserts, now ordered by (judging, revision): a finished row changes
-- again only for a newer judging.

ALTER TABLE judge_submissions ADD COLUMN judging integer NOT NULL DEFAULT 1 CHECK (judging >= 1);

CREATE TABLE judge_judgings
(
    submission_id varchar(128)     NOT NULL REFERENCES judge_submissions (id) ON DELETE CASCADE,
    judging       integer          NOT NULL CHECK (judging >= 1),
    verdict       varchar(4)       NOT NULL CHECK (verdict IN ('AC', 'WA', 'PE', 'TLE', 'MLE', 'OLE', 'RE', 'CE', 'IE', 'SK')),
    score         double precision,
    max_score     double precision,
    time_ms       bigint,          -- largest CPU time over the tests run
    memory_kb     bigint,          -- largest peak memory over the tests run
    started_at    timestamptz,     -- when a worker took this judging (null for judgings recorded before this migration)
    finished_at   timestamptz,
    judged_by     varchar(256),    -- the silo that judged the final attempt of this judging
    PRIMARY KEY (submission_id, judging)
);

-- Submissions finished before this migration had exactly one judging.
INSERT INTO judge_judgings (submission_id, judging, verdict, score, time_ms, memory_kb, finished_at, judged_by)
SELECT id, 1, verdict, score, time_ms, memory_kb, finished_at, judged_by FROM judge_submissions WHERE status = 'finished';
