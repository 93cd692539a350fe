using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Silo.EndToEndTests;

/// <summary>A real judge silo (the embedded default, as the README starts it) on free loopback ports, with an HTTP client.</summary>
public class JudgeServer : IAsyncLifetime
{
    private WebApplication? app;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silo host's services.</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>The judges' token this server is configured with (<c>Judge:Http:JudgeToken</c>).</summary>
    public const string JudgeToken = "e2e-judges-token-7f3a9c";

    public async Task InitializeAsync()
    {
        var httpPort = Ports.Free();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-e2e")}",
            $"--Judge:Http:JudgeToken={JudgeToken}",
            .. Arguments,
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddJudgeSilo();
        Configure(builder);
        app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>More command-line settings of a derived server.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>Lets a derived server add to the host before it is built.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Posts a submission with <c>?wait=true</c> and returns the finished submission.</summary>
    public Task<JsonElement> JudgeAsync(string problem, string language, string source) => JudgeAsync(new { problem, language, source });

    /// <summary>Posts <paramref name="body"/> (serialized as JSON) with <c>?wait=true</c> and returns the finished submission.</summary>
    public async Task<JsonElement> JudgeAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", body);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {answer}");
        return JsonDocument.Parse(answer).RootElement.Clone();
    }

    /// <summary>Posts a raw body and returns the status and parsed JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostRawAsync(string path, string body, string contentType = "application/json")
    {
        var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}

[CollectionDefinition(Name)]
public sealed class JudgeServerCollection : ICollectionFixture<JudgeServer>
{
    public const string Name = "judge server";
}
