using Judge.Silo.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Judge.Silo.Database;

/// <summary><c>Judge.Silo migrate</c>: applies deploy/sql to the database of <c>ConnectionStrings:Judge</c> and exits.
/// Safe to run again, and from several hosts at once.</summary>
public static class MigrateCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "migrate";

    /// <summary>Runs the command with the silo's configuration sources (appsettings, environment, <c>--Key=value</c>);
    /// answers the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        JudgeClusterOptions cluster;
        try
        {
            cluster = JudgeSiloHostingExtensions.ReadClusterOptions(configuration);
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync($"migrate: {string.Join("; ", e.Failures)}");
            return 2;
        }
        if (!cluster.UsesDatabase)
        {
            await error.WriteLineAsync("migrate: set ConnectionStrings:Judge (env ConnectionStrings__Judge) to the PostgreSQL database to migrate");
            return 2;
        }

        try
        {
            var applied = await JudgeSchema.MigrateAsync(cluster.ConnectionString!);
            foreach (var migration in applied)
                await output.WriteLineAsync($"applied {migration.FileName}");
            var latest = JudgeSchema.Migrations[^1];
            await output.WriteLineAsync($"schema is at {latest.Version:0000} ({latest.Name}); {applied.Count} migration(s) applied now");
            return 0;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            await error.WriteLineAsync($"migrate: {e.GetBaseException().Message}");
            return 1;
        }
    }
}
