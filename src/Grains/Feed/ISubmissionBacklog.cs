using Judge.Interfaces;

namespace Judge.Grains.Feed;

/// <summary>The cluster's backlog per language: submissions it accepted and has not finished judging (queued, compiling
/// or running), which is what a pool of silos offering those languages has left to do.</summary>
public interface ISubmissionBacklog
{
    /// <summary>The unfinished submissions of each of <paramref name="languages"/> (0 for a language without any).</summary>
    Task<IReadOnlyDictionary<string, int>> CountAsync(IReadOnlyCollection<string> languages, CancellationToken cancellationToken = default);
}

/// <summary>The backlog read from the submissions list of a cluster without a database: every silo's in-memory list is
/// the cluster's (the live feed), holding the newest <see cref="LiveFeedOptions.MaxSubmissions"/> submissions.</summary>
public sealed class IndexSubmissionBacklog(ISubmissionIndex index) : ISubmissionBacklog
{
    private static readonly SubmissionStatus[] Unfinished = [SubmissionStatus.Queued, SubmissionStatus.Compiling, SubmissionStatus.Running];

    /// <summary>The page size of each walk through the list.</summary>
    private const int Page = 1000;

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(IReadOnlyCollection<string> languages, CancellationToken cancellationToken = default)
    {
        var counts = languages.Distinct(StringComparer.Ordinal).ToDictionary(l => l, _ => 0, StringComparer.Ordinal);
        foreach (var language in counts.Keys.ToList())
            foreach (var status in Unfinished)
            {
                SubmissionCursor? before = null;
                do
                {
                    var page = await index.QueryAsync(new SubmissionQuery(Page, before, Language: language, Status: status), cancellationToken);
                    counts[language] += page.Items.Count;
                    before = page.Next;
                }
                while (before is not null);
            }
        return counts;
    }
}
