namespace Judge.Engine.Problems;

/// <summary>The problems found under one root directory, loaded once; malformed packages are listed as errors, not offered.</summary>
public sealed class ProblemCatalog : IProblemSource
{
    /// <summary>The configuration key that names the problems directory.</summary>
    public const string RootConfigurationKey = "Judge:Problems:Root";

    private readonly Dictionary<string, Problem> byId;

    /// <summary>Loads every package directory directly under <paramref name="root"/>, in ordinal name order; names starting with '.' are skipped.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist; the message names it and the configuration key.</exception>
    public ProblemCatalog(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException(
                $"The problems directory '{Root}' does not exist. Set {RootConfigurationKey} (environment variable Judge__Problems__Root) to a directory of problem packages.");
        }

        var problems = new List<Problem>();
        var errors = new List<ProblemFormatException>();
        var directories = Directory.GetDirectories(Root)
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            try
            {
                problems.Add(ProblemLoader.Load(directory));
            }
            catch (ProblemFormatException e)
            {
                errors.Add(e);
            }
        }

        Problems = problems;
        Errors = errors;
        byId = problems.ToDictionary(problem => problem.Id, StringComparer.Ordinal);
    }

    public string Root { get; }

    /// <summary>Valid problems, by id order.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    /// <summary>Packages that were rejected, each naming the problem and the file.</summary>
    public IReadOnlyList<ProblemFormatException> Errors { get; }

    /// <summary>The problem with this id, or <c>null</c>.</summary>
    public Problem? Find(string id) => id is not null && byId.TryGetValue(id, out var problem) ? problem : null;
}
