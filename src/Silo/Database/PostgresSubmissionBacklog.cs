using Judge.Grains.Feed;
using Npgsql;
using NpgsqlTypes;

namespace Judge.Silo.Database;

/// <summary>The backlog of a cluster with a database: the rows of <c>judge_submissions</c> not yet finished, per language.
/// A submission grain writes its row (status <c>queued</c>) before it answers the submit, and <c>finished</c> when the
/// verdict is stored, so the count covers every submission the cluster accepted, whichever silo or ingress took it.
/// The status index of deploy/sql/0004_dashboard.sql finds the unfinished rows without reading the finished ones.</summary>
public sealed class PostgresSubmissionBacklog(NpgsqlDataSource database) : ISubmissionBacklog
{
    private const string Count = """
        SELECT language, count(*)::int FROM judge_submissions
         WHERE status IN ('queued', 'compiling', 'running') AND language = ANY($1)
         GROUP BY language
        """;

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(IReadOnlyCollection<string> languages, CancellationToken cancellationToken = default)
    {
        var counts = languages.Distinct(StringComparer.Ordinal).ToDictionary(l => l, _ => 0, StringComparer.Ordinal);
        if (counts.Count == 0)
            return counts;
        await using var command = database.CreateCommand(Count);
        command.Parameters.Add(new NpgsqlParameter { Value = counts.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }
}
