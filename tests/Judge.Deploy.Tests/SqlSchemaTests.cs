using System.Text.RegularExpressions;

namespace Judge.Deploy.Tests;

/// <summary>deploy/sql: numbered migrations, each described in its README, together defining every query key the
/// Orleans ADO.NET providers look up. (Judge.Cluster.EndToEndTests applies them to a real PostgreSQL.)</summary>
public partial class SqlSchemaTests
{
    private static string Sql => Path.Combine(Repository.Root, "deploy", "sql");

    /// <summary>The files of deploy/sql, relative to deploy/.</summary>
    public static IEnumerable<string> Files =>
        Directory.EnumerateFiles(Sql).Select(f => "sql/" + Path.GetFileName(f));

    private static List<string> Migrations =>
        Directory.EnumerateFiles(Sql, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    [Fact]
    public void Migrations_are_numbered_from_one_without_gaps()
    {
        var numbers = Migrations.Select(name => MigrationName().Match(name)).ToList();
        Assert.All(numbers, m => Assert.True(m.Success, $"deploy/sql/{m.Value}: expected NNNN_name.sql"));
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers.Select(m => int.Parse(m.Groups[1].Value)));
        Assert.Equal([.. Migrations, "README.md"], Directory.EnumerateFiles(Sql).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_README_describes_every_migration()
    {
        var readme = File.ReadAllText(Path.Combine(Sql, "README.md"));
        Assert.All(Migrations, name => Assert.Contains($"`{name}`", readme));
    }

    [Theory]
    [InlineData("GatewaysQueryKey"), InlineData("MembershipReadRowKey"), InlineData("MembershipReadAllKey")]
    [InlineData("InsertMembershipVersionKey"), InlineData("UpdateIAmAlivetimeKey"), InlineData("InsertMembershipKey")]
    [InlineData("UpdateMembershipKey"), InlineData("DeleteMembershipTableEntriesKey"), InlineData("CleanupDefunctSiloEntriesKey")]
    [InlineData("ReadFromStorageKey"), InlineData("WriteToStorageKey"), InlineData("ClearStorageKey"), InlineData("DeleteStorageKey")]
    [InlineData("ReadReminderRowsKey"), InlineData("ReadReminderRowKey"), InlineData("ReadRangeRows1Key"), InlineData("ReadRangeRows2Key")]
    [InlineData("UpsertReminderRowKey"), InlineData("DeleteReminderRowKey"), InlineData("DeleteReminderRowsKey")]
    public void Every_query_key_of_the_Orleans_providers_is_defined_once(string key)
    {
        var definitions = Migrations.Sum(name => Regex.Matches(File.ReadAllText(Path.Combine(Sql, name)), $@"\('{key}',").Count);
        Assert.Equal(1, definitions);
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex MigrationName();
}
