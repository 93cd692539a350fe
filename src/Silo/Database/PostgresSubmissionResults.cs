using Judge.Abstractions;
using Judge.Grains.Submissions;
using Judge.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace Judge.Silo.Database;

/// <summary>Keeps the results tables of deploy/sql/0002_results.sql and 0003_judgings.sql current: one upsert of the
/// submission row, its test rows and its finished judgings per call, in one transaction. A call whose (judging, revision)
/// is not newer than the row's, or that arrives after the row's judging is finished, changes nothing: at-least-once calls
/// leave exactly one row with the latest state, and a finished row changes again only for a new judging.</summary>
public sealed class PostgresSubmissionResults(NpgsqlDataSource database) : ISubmissionResults
{
    private const string UpsertSubmission = """
        INSERT INTO judge_submissions AS s (id, problem, language, status, verdict, score, time_ms, memory_kb, test_count,
                                            message, judged_by, created_at, finished_at, revision,
                                            submitted_by, started_at, tests_done, current_test, max_score, judging)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
        ON CONFLICT (id) DO UPDATE
           SET status = EXCLUDED.status, verdict = EXCLUDED.verdict, score = EXCLUDED.score, time_ms = EXCLUDED.time_ms,
               memory_kb = EXCLUDED.memory_kb, test_count = EXCLUDED.test_count, message = EXCLUDED.message,
               judged_by = EXCLUDED.judged_by, finished_at = EXCLUDED.finished_at, revision = EXCLUDED.revision,
               submitted_by = EXCLUDED.submitted_by, started_at = EXCLUDED.started_at, tests_done = EXCLUDED.tests_done,
               current_test = EXCLUDED.current_test, max_score = EXCLUDED.max_score,
               judging = EXCLUDED.judging, updated_at = now()
         WHERE (s.judging, s.revision) < (EXCLUDED.judging, EXCLUDED.revision)
           AND (s.status <> 'finished' OR s.judging < EXCLUDED.judging)
        RETURNING 1
        """;

    private const string TrimTests = "DELETE FROM judge_test_results WHERE submission_id = $1 AND ordinal >= $2";

    private const string UpsertTest = """
        INSERT INTO judge_test_results (submission_id, ordinal, name, verdict, time_ms, wall_ms, memory_kb, exit_code, signal, message)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (submission_id, ordinal) DO UPDATE
           SET name = EXCLUDED.name, verdict = EXCLUDED.verdict, time_ms = EXCLUDED.time_ms, wall_ms = EXCLUDED.wall_ms,
               memory_kb = EXCLUDED.memory_kb, exit_code = EXCLUDED.exit_code, signal = EXCLUDED.signal, message = EXCLUDED.message
        """;

    // One row per finished judging; a row backfilled by the migration gains its start time when a later write knows it.
    private const string UpsertJudging = """
        INSERT INTO judge_judgings AS j (submission_id, judging, verdict, score, max_score, time_ms, memory_kb, started_at, finished_at, judged_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (submission_id, judging) DO UPDATE
           SET started_at = COALESCE(j.started_at, EXCLUDED.started_at), max_score = COALESCE(j.max_score, EXCLUDED.max_score)
        """;

    public async Task RecordAsync(Submission submission, long revision, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var upsert = new NpgsqlCommand(UpsertSubmission, connection, transaction);
        await using (upsert)
        {
            upsert.Parameters.Add(Value(submission.Id));
            upsert.Parameters.Add(Value(submission.Problem));
            upsert.Parameters.Add(Value(submission.Language));
            upsert.Parameters.Add(Value(StatusCode(submission.Status)));
            upsert.Parameters.Add(Value(submission.Verdict?.ToString(), NpgsqlDbType.Varchar));
            upsert.Parameters.Add(Value(submission.Score, NpgsqlDbType.Double));
            upsert.Parameters.Add(Value(submission.TimeMs, NpgsqlDbType.Bigint));
            upsert.Parameters.Add(Value(submission.MemoryKb, NpgsqlDbType.Bigint));
            upsert.Parameters.Add(Value(submission.TestCount, NpgsqlDbType.Integer));
            upsert.Parameters.Add(Value(submission.Message, NpgsqlDbType.Text));
            upsert.Parameters.Add(Value(submission.JudgedBy, NpgsqlDbType.Varchar));
            upsert.Parameters.Add(Value(submission.CreatedAt.ToUniversalTime()));
            upsert.Parameters.Add(Value(submission.FinishedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            upsert.Parameters.Add(Value(revision));
            upsert.Parameters.Add(Value(submission.SubmittedBy, NpgsqlDbType.Varchar));
            upsert.Parameters.Add(Value(submission.StartedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            upsert.Parameters.Add(Value(submission.Tests.IsDefault ? 0 : submission.Tests.Length));
            upsert.Parameters.Add(Value(submission.CurrentTest, NpgsqlDbType.Varchar));
            upsert.Parameters.Add(Value(submission.MaxScore, NpgsqlDbType.Double));
            upsert.Parameters.Add(Value(Math.Max(submission.Judging, 1)));
            if (await upsert.ExecuteScalarAsync(cancellationToken) is null)
                return; // not newer than what is recorded: leave it (the transaction rolls back on dispose)
        }

        var tests = submission.Tests.IsDefault ? [] : submission.Tests;
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(TrimTests) { Parameters = { Value(submission.Id), Value(tests.Length) } });
            for (var i = 0; i < tests.Length; i++)
            {
                var test = tests[i];
                batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertTest)
                {
                    Parameters =
                    {
                        Value(submission.Id), Value(i), Value(test.Name), Value(test.Verdict.ToString()),
                        Value(test.TimeMs), Value(test.WallMs), Value(test.MemoryKb),
                        Value(test.ExitCode, NpgsqlDbType.Integer), Value(test.Signal, NpgsqlDbType.Varchar),
                        Value(test.Message, NpgsqlDbType.Text),
                    },
                });
            }
            foreach (var judging in Judgings(submission))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertJudging)
                {
                    Parameters =
                    {
                        Value(submission.Id), Value(judging.Judging), Value(judging.Verdict.ToString()),
                        Value(judging.Score, NpgsqlDbType.Double), Value(judging.MaxScore, NpgsqlDbType.Double),
                        Value(judging.TimeMs, NpgsqlDbType.Bigint), Value(judging.MemoryKb, NpgsqlDbType.Bigint),
                        Value(judging.StartedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                        Value(judging.FinishedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz), Value(judging.JudgedBy, NpgsqlDbType.Varchar),
                    },
                });
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListUnfinishedAsync(int limit, CancellationToken cancellationToken = default)
    {
        // Served by the partial index judge_submissions_unfinished.
        await using var command = database.CreateCommand(
            "SELECT id FROM judge_submissions WHERE status <> 'finished' ORDER BY created_at LIMIT $1");
        command.Parameters.Add(Value(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>The finished judgings <paramref name="submission"/> knows: the earlier ones, and the current one once finished.</summary>
    private static IEnumerable<JudgingSummary> Judgings(Submission submission)
    {
        if (!submission.Judgings.IsDefault)
        {
            foreach (var earlier in submission.Judgings)
                yield return earlier;
        }
        if (submission is { Status: SubmissionStatus.Finished, Verdict: { } verdict })
        {
            yield return new JudgingSummary(Math.Max(submission.Judging, 1), verdict, submission.Score, submission.MaxScore, submission.TimeMs,
                submission.MemoryKb, submission.StartedAt, submission.FinishedAt, submission.JudgedBy);
        }
    }

    /// <summary>The lifecycle code of the public contract (ARCHITECTURE.md section 6).</summary>
    internal static string StatusCode(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Queued => "queued",
        SubmissionStatus.Compiling => "compiling",
        SubmissionStatus.Running => "running",
        SubmissionStatus.Finished => "finished",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static NpgsqlParameter Value<T>(T value) => new NpgsqlParameter<T> { TypedValue = value };

    private static NpgsqlParameter Value(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
