using Judge.Grains.Feed;
using Judge.Interfaces;
using Judge.Silo.Database;
using Npgsql;
using NpgsqlTypes;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A migrated database on a real PostgreSQL server, without silos: the submissions index's own fixture.</summary>
public sealed class IndexDatabase : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();
    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var connectionString = await Postgres.CreateDatabaseAsync("index");
        await JudgeSchema.MigrateAsync(connectionString);
        Database = NpgsqlDataSource.Create(connectionString);
    }

    public async Task DisposeAsync()
    {
        if (Database is not null)
            await Database.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>The list and the statistics read from <c>judge_submissions</c> (deploy/sql/0004_dashboard.sql).</summary>
public sealed class PostgresSubmissionIndexTests(IndexDatabase fixture) : IClassFixture<IndexDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Verdicts = ["AC", "WA", "TLE"];

    private sealed record Row(string Id, string Problem, string Language, string Status, string? Verdict, string? SubmittedBy, DateTimeOffset CreatedAt,
        DateTimeOffset? StartedAt = null, DateTimeOffset? FinishedAt = null);

    private async Task InsertAsync(IEnumerable<Row> rows)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY judge_submissions (id, problem, language, status, verdict, submitted_by, created_at, started_at, finished_at, revision, tests_done) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await import.StartRowAsync();
            await import.WriteAsync(row.Id, NpgsqlDbType.Varchar);
            await import.WriteAsync(row.Problem, NpgsqlDbType.Varchar);
            await import.WriteAsync(row.Language, NpgsqlDbType.Varchar);
            await import.WriteAsync(row.Status, NpgsqlDbType.Varchar);
            await WriteNullableAsync(row.Verdict, NpgsqlDbType.Varchar);
            await WriteNullableAsync(row.SubmittedBy, NpgsqlDbType.Varchar);
            await import.WriteAsync(row.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(row.StartedAt?.UtcDateTime, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(row.FinishedAt?.UtcDateTime, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(1L, NpgsqlDbType.Bigint);
            await import.WriteAsync(row.Status == "finished" ? 3 : 0, NpgsqlDbType.Integer);
        }
        await import.CompleteAsync();

        async Task WriteNullableAsync(object? value, NpgsqlDbType type)
        {
            if (value is null)
                await import.WriteNullAsync();
            else
                await import.WriteAsync(value, type);
        }
    }

    private static async Task<List<SubmissionSummary>> AllPagesAsync(ISubmissionIndex index, SubmissionQuery query)
    {
        var all = new List<SubmissionSummary>();
        SubmissionCursor? before = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 1000, "paging does not end");
            var page = await index.QueryAsync(query with { Before = before });
            all.AddRange(page.Items);
            if (page.Next is null)
                return all;
            Assert.Equal(query.Limit, page.Items.Count);
            Assert.True(SubmissionCursor.TryDecode(page.Next.Value.Encode(), out var decoded));
            before = decoded;
        }
    }

    [Fact]
    public async Task Ten_thousand_rows_page_newest_first_with_every_filter()
    {
        var prefix = $"pg{Guid.NewGuid():N}"[..12];
        var rows = Enumerable.Range(0, 10_000).Select(i =>
        {
            var finished = i % 5 != 0;
            // Pairs share a creation time (to the microsecond): the id orders them.
            var created = Start.AddTicks(i / 2 * 13_370);
            return new Row($"{prefix}-{i:00000}", i % 3 == 0 ? "aplusb" : "triangle", i % 2 == 0 ? "python3" : "cpp17",
                finished ? "finished" : "running", finished ? Verdicts[i % 3] : null, i % 4 == 0 ? "alice" : null, created);
        }).ToList();
        await InsertAsync(rows);
        var index = new PostgresSubmissionIndex(fixture.Database);

        var newestFirst = rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        var first = await index.QueryAsync(new SubmissionQuery(50, IdPrefix: prefix));
        Assert.Equal(newestFirst.Take(50).Select(r => r.Id), first.Items.Select(s => s.Id));
        var top = first.Items[0];
        var expectedTop = newestFirst[0];
        Assert.Equal((expectedTop.Problem, expectedTop.Language, expectedTop.CreatedAt), (top.Problem, top.Language, top.CreatedAt));

        Assert.Equal(newestFirst.Select(r => r.Id), (await AllPagesAsync(index, new SubmissionQuery(500, IdPrefix: prefix))).Select(s => s.Id));
        foreach (var (query, expected) in new (SubmissionQuery, Func<Row, bool>)[]
        {
            (new SubmissionQuery(250, Problem: "aplusb", IdPrefix: prefix), r => r.Problem == "aplusb"),
            (new SubmissionQuery(250, Language: "cpp17", Verdict: Verdict.WA, IdPrefix: prefix), r => r.Language == "cpp17" && r.Verdict == "WA"),
            (new SubmissionQuery(250, Status: SubmissionStatus.Running, IdPrefix: prefix), r => r.Status == "running"),
            (new SubmissionQuery(7, IdPrefix: $"{prefix}-0012"), r => r.Id.StartsWith($"{prefix}-0012", StringComparison.Ordinal)),
            (new SubmissionQuery(250, IdPrefix: prefix, OwnOnly: true, Owner: "alice"), r => r.SubmittedBy == "alice"),
            (new SubmissionQuery(250, IdPrefix: prefix, OwnOnly: true, Owner: null), _ => false),
        })
        {
            var ids = (await AllPagesAsync(index, query)).Select(s => s.Id).ToList();
            Assert.Equal(newestFirst.Where(expected).Select(r => r.Id), ids);
        }
    }

    [Fact]
    public async Task The_results_writer_fills_the_columns_the_list_shows()
    {
        var id = $"pgw-{Guid.NewGuid():N}";
        var created = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);
        var submission = new Submission
        {
            Id = id, Problem = "aplusb", Language = "python3", Status = SubmissionStatus.Running, CreatedAt = created,
            StartedAt = created.AddSeconds(1), TestCount = 4, CurrentTest = "secret/2", SubmittedBy = "carol",
            Tests = [new TestResult("sample/1", Verdict.AC, 10, 20, 3000), new TestResult("secret/1", Verdict.AC, 10, 20, 3000)],
        };
        await new PostgresSubmissionResults(fixture.Database).RecordAsync(submission, 3);

        var index = new PostgresSubmissionIndex(fixture.Database);
        var row = Assert.Single((await index.QueryAsync(new SubmissionQuery(5, IdPrefix: id))).Items);
        Assert.Equal(SubmissionSummary.Of(submission) with { CreatedAt = row.CreatedAt, StartedAt = row.StartedAt }, row);
        // PostgreSQL keeps microseconds.
        Assert.Equal(SubmissionCursor.Micros(created), SubmissionCursor.Micros(row.CreatedAt));
        Assert.Equal(SubmissionCursor.Micros(created.AddSeconds(1)), SubmissionCursor.Micros(row.StartedAt!.Value));
        Assert.Equal(2, row.TestsDone);
        Assert.Equal("carol", (await index.QueryAsync(new SubmissionQuery(5, IdPrefix: id, OwnOnly: true, Owner: "carol"))).Items.Single().SubmittedBy);
    }

    [Fact]
    public async Task Stats_count_each_minute_and_the_verdict_mix_exactly()
    {
        // A window of its own, far from the other tests' rows.
        var now = new DateTimeOffset(2031, 6, 1, 12, 30, 20, TimeSpan.Zero);
        var since = new DateTimeOffset(2031, 6, 1, 11, 31, 0, TimeSpan.Zero);
        Row Finished(string id, DateTimeOffset created, double waitSeconds, double judgeSeconds, string verdict) =>
            new($"stats-{id}-{Guid.NewGuid():N}", "aplusb", "python3", "finished", verdict, null, created,
                created.AddSeconds(waitSeconds), created.AddSeconds(waitSeconds + judgeSeconds));
        await InsertAsync(
        [
            Finished("a", since.AddSeconds(1), 1, 2, "AC"),
            Finished("b", since.AddSeconds(10), 2, 3, "WA"),
            Finished("c", now.AddSeconds(-20), 3, 4, "TLE"),
            new Row($"stats-d-{Guid.NewGuid():N}", "aplusb", "python3", "queued", null, null, now.AddSeconds(-1)),
            Finished("e", since.AddMinutes(-3), 170, 70, "AC"),
            Finished("f", since.AddHours(-2), 1, 1, "RE"),
        ]);

        var stats = await new PostgresSubmissionIndex(fixture.Database).StatsAsync(now);

        Assert.Equal(since, stats.Since);
        Assert.Equal(60, stats.Minutes.Count);
        Assert.Equal([2, 0, 2], [stats.Minutes[0].Submitted, stats.Minutes[1].Submitted, stats.Minutes[59].Submitted]);
        Assert.Equal([2, 1, 1], [stats.Minutes[0].Finished, stats.Minutes[1].Finished, stats.Minutes[59].Finished]);
        Assert.Equal(4, stats.Minutes.Sum(m => m.Submitted));
        Assert.Equal(4, stats.Minutes.Sum(m => m.Finished));
        Assert.Equal((1, 1, 1), (stats.Minutes[0].Verdicts["AC"], stats.Minutes[0].Verdicts["WA"], stats.Minutes[59].Verdicts["TLE"]));
        Assert.Equal(new Dictionary<string, int> { ["AC"] = 2, ["WA"] = 1, ["TLE"] = 1 }, stats.Verdicts.Where(v => v.Value > 0).ToDictionary());
        // The same numbers as the in-memory index's test: percentile_cont over 1, 2, 3 s and 2, 3, 4, 70 s.
        Assert.Equal(new Percentiles(2000, 2800, 2980), stats.QueueWaitMs);
        Assert.Equal(new Percentiles(3500, 50200, 68020), stats.JudgingMs);
    }
}
