using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Silo.EndToEndTests;

/// <summary>A real judge silo on free loopback ports with API keys configured (one per scope mix), a cookie secret and a
/// low submit rate limit.</summary>
public sealed class AuthJudgeServer : IAsyncLifetime
{
    private WebApplication? app;

    public const int SubmitsPerMinute = 2;

    /// <summary>A route of this fixture that needs the admin scope.</summary>
    public const string AdminOnlyPath = "/api/test/admin-only";

    /// <summary>The keys, by name.</summary>
    public static readonly IReadOnlyDictionary<string, (string Key, string Scopes)> Keys = new Dictionary<string, (string, string)>
    {
        ["admin"] = ("admin-key-7c1e52d09a4b", "submit,read,judge,admin"),
        ["reader"] = ("reader-key-51f0b3e8c2aa", "read"),
        ["alice"] = ("alice-key-9d3f7a60e1b2", "submit"),
        ["bob"] = ("bob-key-2e8c4b1f7d05aa", "submit"),
        ["judge"] = ("judge-key-6a2d9e3c0f71", "read, judge"),
        ["limited"] = ("limited-key-3b7e1c9a5d", "submit"),
        ["rejudger"] = ("rejudger-key-5c0e8a2f4b6d", "read,admin"),
        ["leaver"] = ("leaver-key-8f2a6c4e0b9d", "read"),
        ["hashed"] = ("hashed-key-4e9b2d7f1a3c", "read"), // configured as KeySha256
    };

    public string BaseAddress { get; private set; } = null!;

    public WebApplication App => app!;

    /// <summary>What the access rules logged.</summary>
    public CapturedLog Log { get; } = new();

    public async Task InitializeAsync()
    {
        var httpPort = Ports.Free();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-e2e-auth")}",
        ]);
        // In memory, so that a test can change a key and reload the configuration.
        var settings = new Dictionary<string, string?>
        {
            ["Judge:Auth:SubmitsPerMinute"] = SubmitsPerMinute.ToString(),
            ["Judge:Auth:CookieSecret"] = "auth-e2e-cookie-secret-0123456789abcdef",
        };
        var n = 0;
        foreach (var (name, (key, scopes)) in Keys)
        {
            settings[$"Judge:Auth:Keys:{n}:Name"] = name;
            if (name == "hashed")
                settings[$"Judge:Auth:Keys:{n}:KeySha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
            else
                settings[$"Judge:Auth:Keys:{n}:Key"] = key;
            settings[$"Judge:Auth:Keys:{n}:Scopes"] = scopes;
            n++;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Judge.ServiceDefaults.Auth", LogLevel.Information);
        builder.Logging.AddProvider(Log);
        builder.AddJudgeSilo();
        app = builder.Build();
        app.MapJudgeSilo();
        // An admin-only route of the test's own (the real ones, such as rejudge, come from other parts of issue 11).
        app.MapGet(AdminOnlyPath, () => Microsoft.AspNetCore.Http.Results.Ok(new { ok = true })).RequireScope(Judge.ServiceDefaults.Auth.JudgeScopes.Admin);
        await app.StartAsync();
        BaseAddress = $"http://127.0.0.1:{httpPort}";
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A client that sends the key named <paramref name="keyName"/> (none when <c>null</c>), keeps no cookies of its
    /// own and follows no redirects.</summary>
    public HttpClient Client(string? keyName = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseAddress),
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (keyName is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[keyName].Key);
        return client;
    }

    /// <summary>Submits an A+B in Python (not waiting) and returns the answer.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string? id = null) =>
        client.PostAsJsonAsync("/api/submissions", new { id, problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n" });

    /// <summary>The <c>error</c> of a JSON error answer.</summary>
    public static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"expected a JSON error body with status {(int)response.StatusCode}");
        return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>Sets (or removes, with <c>null</c>) a configuration value and reloads the configuration, as an operator's edit
    /// of <c>appsettings.json</c> does.</summary>
    public void Reconfigure(string key, string? value)
    {
        app!.Configuration[key] = value;
        ((IConfigurationRoot)app.Configuration).Reload();
    }

    /// <summary>The configuration index of the key named <paramref name="name"/>.</summary>
    public static int IndexOf(string name) => Keys.Keys.ToList().IndexOf(name);
}

[CollectionDefinition(Name)]
public sealed class AuthJudgeServerCollection : ICollectionFixture<AuthJudgeServer>
{
    public const string Name = "judge server with keys";
}

/// <summary>Keeps the messages logged under <c>Judge.ServiceDefaults.Auth</c>.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> messages = new();

    public IReadOnlyCollection<string> Messages => messages;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName.StartsWith("Judge.ServiceDefaults.Auth", StringComparison.Ordinal) ? messages : null);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string>? messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => messages is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages?.Enqueue(formatter(state, exception));
    }
}
