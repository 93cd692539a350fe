using System.Text;
using Judge.Grains.Feed;
using Judge.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace Judge.Silo.Database;

/// <summary>The submissions list and statistics of a cluster with a database: queries of <c>judge_submissions</c>, which
/// every silo keeps current (<see cref="PostgresSubmissionResults"/>), served by the indexes of
/// deploy/sql/0004_dashboard.sql. It lists every submission ever made, not only those seen since a silo started.</summary>
public sealed class PostgresSubmissionIndex(NpgsqlDataSource database) : ISubmissionIndex
{
    private const string Columns = """
        id, problem, language, status, verdict, score, max_score, time_ms, memory_kb, test_count, tests_done, current_test,
        judged_by, submitted_by, created_at, started_at, finished_at, judging
        """;

    public void Observe(SubmissionSummary summary)
    {
        // The rows come from the submission grains' own writes.
    }

    public async Task<SubmissionPage> QueryAsync(SubmissionQuery query, CancellationToken cancellationToken = default)
    {
        if (query.OwnOnly && query.Owner is null)
            return new SubmissionPage([], null);

        await using var command = database.CreateCommand();
        var where = new List<string>();
        string Parameter(object value, NpgsqlDbType type)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            return "$" + command.Parameters.Count;
        }

        if (query.Before is { } before)
        {
            var time = Parameter(SubmissionCursor.Time(before.CreatedAtMicros).UtcDateTime, NpgsqlDbType.TimestampTz);
            var id = Parameter(before.Id, NpgsqlDbType.Varchar);
            where.Add($"(created_at < {time} OR (created_at = {time} AND id COLLATE \"C\" < {id}))");
        }
        if (query.Problem is { } problem)
            where.Add($"problem = {Parameter(problem, NpgsqlDbType.Varchar)}");
        if (query.Language is { } language)
            where.Add($"language = {Parameter(language, NpgsqlDbType.Varchar)}");
        if (query.Verdict is { } verdict)
            where.Add($"verdict = {Parameter(verdict.ToString(), NpgsqlDbType.Varchar)}");
        if (query.Status is { } status)
            where.Add($"status = {Parameter(PostgresSubmissionResults.StatusCode(status), NpgsqlDbType.Varchar)}");
        if (query.IdPrefix is { } prefix)
            where.Add($"starts_with(id, {Parameter(prefix, NpgsqlDbType.Text)})");
        if (query.OwnOnly)
            where.Add($"submitted_by = {Parameter(query.Owner!, NpgsqlDbType.Varchar)}");

        var sql = new StringBuilder($"SELECT {Columns} FROM judge_submissions");
        if (where.Count > 0)
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        sql.Append($" ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT {Parameter(query.Limit + 1, NpgsqlDbType.Integer)}");
        command.CommandText = sql.ToString();

        var items = new List<SubmissionSummary>(Math.Min(query.Limit + 1, 1024));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                items.Add(Read(reader));
        }
        if (items.Count <= query.Limit)
            return new SubmissionPage(items, null);
        items.RemoveAt(items.Count - 1);
        return new SubmissionPage(items, SubmissionCursor.Of(items[^1]));
    }

    private static SubmissionSummary Read(NpgsqlDataReader reader)
    {
        T? Nullable<T>(int ordinal) where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        DateTimeOffset? Time(int ordinal) => reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

        return new SubmissionSummary
        {
            Id = reader.GetString(0),
            Problem = reader.GetString(1),
            Language = reader.GetString(2),
            Status = reader.GetString(3) switch
            {
                "queued" => SubmissionStatus.Queued,
                "compiling" => SubmissionStatus.Compiling,
                "running" => SubmissionStatus.Running,
                _ => SubmissionStatus.Finished,
            },
            Verdict = Text(4) is { } verdict ? Enum.Parse<Verdict>(verdict) : null,
            Score = Nullable<double>(5),
            MaxScore = Nullable<double>(6),
            TimeMs = Nullable<long>(7),
            MemoryKb = Nullable<long>(8),
            TestCount = Nullable<int>(9),
            TestsDone = reader.GetInt32(10),
            CurrentTest = Text(11),
            JudgedBy = Text(12),
            SubmittedBy = Text(13),
            CreatedAt = Time(14)!.Value,
            StartedAt = Time(15),
            FinishedAt = Time(16),
            Judging = reader.GetInt32(17),
        };
    }

    public async Task<SubmissionStats> StatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var stats = new SubmissionStatsBuilder(now);
        Percentiles queueWait = Percentiles.None, judging = Percentiles.None;

        await using var batch = database.CreateBatch();
        foreach (var sql in (string[])
        [
            // Minute of creation, and count.
            """
            SELECT floor(extract(epoch FROM created_at - $1) / 60)::int, count(*)::int FROM judge_submissions
             WHERE created_at >= $1 AND created_at < $2 GROUP BY 1
            """,
            // Minute of finishing, verdict, and count.
            """
            SELECT floor(extract(epoch FROM finished_at - $1) / 60)::int, verdict, count(*)::int FROM judge_submissions
             WHERE finished_at >= $1 AND finished_at < $2 AND status = 'finished' GROUP BY 1, 2
            """,
            """
            SELECT percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY (extract(epoch FROM started_at - created_at) * 1000)::float8)
              FROM judge_submissions WHERE started_at >= $1 AND started_at < $2
            """,
            """
            SELECT percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY (extract(epoch FROM finished_at - started_at) * 1000)::float8)
              FROM judge_submissions WHERE finished_at >= $1 AND finished_at < $2 AND status = 'finished' AND started_at IS NOT NULL
            """,
        ])
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = stats.Since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new NpgsqlParameter { Value = stats.Until.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            });
        }

        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                stats.AddSubmitted(reader.GetInt32(0), reader.GetInt32(1));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                stats.AddFinished(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2));
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                queueWait = ReadPercentiles(reader);
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                judging = ReadPercentiles(reader);
        }

        return stats.Build(queueWait, judging);
    }

    private static Percentiles ReadPercentiles(NpgsqlDataReader reader)
    {
        if (reader.IsDBNull(0))
            return Percentiles.None;
        var values = reader.GetFieldValue<double[]>(0);
        return new Percentiles(Math.Round(values[0], 1), Math.Round(values[1], 1), Math.Round(values[2], 1));
    }
}
