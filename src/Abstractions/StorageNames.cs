namespace Judge.Abstractions;

/// <summary>The names of the grain storage providers that grains and add-in grains share.</summary>
public static class StorageNames
{
    /// <summary>The grain storage provider that holds submissions (and what add-ins keep per submission).</summary>
    public const string Submissions = "submissions";
}
