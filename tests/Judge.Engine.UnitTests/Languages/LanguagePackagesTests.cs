using Judge.Tests;
using Judge.Engine.Languages;

namespace Judge.Engine.UnitTests.Languages;

/// <summary>scripts/languages.packages, which scripts/setup.sh installs from, lists the Debian packages every language class declares.</summary>
public class LanguagePackagesTests
{
    private static string PackagesFile => Path.Combine(Repository.Root, "scripts", "languages.packages");

    /// <summary>The file's content for the languages of <see cref="LanguageCatalog.All"/> (the header comment kept).</summary>
    internal static string Expected(IEnumerable<Language> languages, string existing) =>
        string.Concat(existing.Split('\n').TakeWhile(l => l.StartsWith('#')).Select(l => l + "\n"))
        + string.Concat(languages.Select(l => string.Join(' ', [l.Id, .. l.Packages]) + "\n"));

    [Fact]
    public void Setup_installs_what_every_declared_language_needs()
    {
        var existing = File.ReadAllText(PackagesFile);
        var expected = Expected(LanguageCatalog.All, existing);
        Assert.True(expected == existing,
            $"scripts/languages.packages does not match the language classes; it should read:\n{expected}");
    }
}
