-- Judge schema 0004: what the dashboard's submissions list and its statistics read from judge_submissions (GET
-- /api/submissions, GET /api/cluster). The new columns are written with every upsert of the row; rows written before
-- this migration have them empty (tests_done 0).

ALTER TABLE judge_submissions
    ADD COLUMN submitted_by varchar(256),          -- the name of the API key that made the submission
    ADD COLUMN started_at   timestamptz,           -- when a worker took the current judging
    ADD COLUMN tests_done   integer NOT NULL DEFAULT 0,
    ADD COLUMN current_test varchar(256),          -- the test running now, while running
    ADD COLUMN max_score    double precision;

-- Newest first (created_at, then id in byte order, descending), unfiltered and with each exact-match filter.
CREATE INDEX judge_submissions_newest ON judge_submissions (created_at DESC, id COLLATE "C" DESC);
CREATE INDEX judge_submissions_problem_newest ON judge_submissions (problem, created_at DESC, id COLLATE "C" DESC);
CREATE INDEX judge_submissions_language_newest ON judge_submissions (language, created_at DESC, id COLLATE "C" DESC);
CREATE INDEX judge_submissions_verdict_newest ON judge_submissions (verdict, created_at DESC, id COLLATE "C" DESC);
CREATE INDEX judge_submissions_status_newest ON judge_submissions (status, created_at DESC, id COLLATE "C" DESC);
CREATE INDEX judge_submissions_submitter_newest ON judge_submissions (submitted_by, created_at DESC, id COLLATE "C" DESC)
    WHERE submitted_by IS NOT NULL;

-- The last hour's statistics: what started and what finished in a time window.
CREATE INDEX judge_submissions_started ON judge_submissions (started_at) WHERE started_at IS NOT NULL;
CREATE INDEX judge_submissions_finished ON judge_submissions (finished_at) WHERE finished_at IS NOT NULL;
