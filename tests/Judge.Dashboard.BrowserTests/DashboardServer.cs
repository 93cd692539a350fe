using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Dashboard.BrowserTests;

/// <summary>A real judge silo (the embedded default) started in this process on free loopback ports, as
/// tests/Judge.Silo.EndToEndTests/JudgeServer.cs does; it can be stopped and started again on the same ports.</summary>
public class DashboardServer : IAsyncLifetime
{
    private readonly int httpPort = Ports.Free();
    private readonly int siloPort = Ports.Free();
    private readonly int gatewayPort = Ports.Free();
    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-dashboard-").FullName;
    private WebApplication? app;

    /// <summary>The dashboard's address, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{httpPort}";

    /// <summary>A client of the HTTP API (with <see cref="BearerKey"/> when set).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>The API key <see cref="Http"/> sends, for a judge with keys configured.</summary>
    protected virtual string? BearerKey => null;

    /// <summary>More configuration for the silo (<c>--Key=value</c>).</summary>
    protected virtual IEnumerable<string> Settings => [];

    public DashboardServer()
    {
        Http.BaseAddress = new Uri(BaseUrl);
        if (BearerKey is { } key)
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the silo (again, after <see cref="StopAsync"/>: on the same ports, with empty in-memory state).</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls={BaseUrl}",
            $"--Judge:Silo:Port={siloPort}",
            $"--Judge:Silo:GatewayPort={gatewayPort}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            $"--Judge:WorkRoot={workRoot}",
            // The languages the tests use: probing every toolchain (the JVM above all) would slow each start.
            "--Judge:Toolchains=python3,cpp17",
            .. Settings,
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddJudgeSilo();
        app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
    }

    /// <summary>Stops the silo; its HTTP port closes, open event streams end.</summary>
    public async Task StopAsync()
    {
        if (app is null)
            return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }

    /// <summary>Submits and answers the new submission's id, without waiting for its verdict.</summary>
    public async Task<string> SubmitAsync(string problem, string language, string source)
    {
        using var response = await Http.PostAsJsonAsync("/api/submissions", new { problem, language, source });
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {answer}");
        return JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Submits and waits for the verdict; answers the finished submission.</summary>
    public async Task<JsonElement> JudgeAsync(string problem, string language, string source)
    {
        using var response = await Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new { problem, language, source });
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {answer}");
        return JsonDocument.Parse(answer).RootElement.Clone();
    }
}

/// <summary>One open judge (no keys) shared by the test classes of the <see cref="DashboardCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServer>, ICollectionFixture<Browser>
{
    public const string Name = "dashboard";
}
