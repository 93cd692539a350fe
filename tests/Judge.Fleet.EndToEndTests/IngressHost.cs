using System.Net;
using Judge.Deploy.Tests.Ec2;

namespace Judge.Fleet.EndToEndTests;

/// <summary>The EC2 ingress host in its namespace: /etc/judge/judge-ingress.env rendered from
/// judge-ingress.env.example by common.sh, judge-ingress.service's ExecStart as uid 10002 without capabilities.</summary>
public sealed class IngressHost(Fleet fleet, string address) : IAsyncDisposable
{
    private HostProcess? process;

    public const string Name = "ingress";

    public string RecentLog => process?.RecentLog ?? "";

    public async Task BootAsync()
    {
        var unit = Ec2Files.Unit("judge-ingress.service");
        var etc = Directory.CreateDirectory(Path.Combine(fleet.Directory, Name, "etc", "judge")).FullName;
        var paths = new Dictionary<string, string> { ["/etc/judge"] = etc, ["/opt/judge/ingress"] = fleet.IngressDirectory };
        Ec2Bootstrap.Render("judge-ingress.env.example", Path.Combine(etc, "judge-ingress.env"), new Dictionary<string, string>
        {
            ["CONNECTION_STRING"] = fleet.ConnectionString,
            ["CLUSTER_ID"] = "judge-fleet",
            ["SERVICE_ID"] = "judge-fleet",
            ["SUBMISSIONS_QUEUE_URL"] = fleet.SubmissionsQueueUrl,
            ["REGION"] = Fleet.Region,
        });
        var environment = Ec2Bootstrap.ReadEnvironmentFile(UnitCommand.Move(unit["EnvironmentFile"]!, paths));
        // The rehearsal's additions: the emulator's endpoint and credentials, short long polls.
        environment["Judge__Sqs__ServiceUrl"] = fleet.EmulatorUrl;
        environment["Judge__Sqs__WaitTimeSeconds"] = "1";
        environment["AWS_ACCESS_KEY_ID"] = Fleet.AccessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = Fleet.SecretKey;
        environment["HOME"] = "/nonexistent";
        environment["Logging__LogLevel__Default"] = "Warning";
        process = new HostProcess($"{Name}/judge-ingress", FleetNetwork.Namespace(Name),
            [.. UnitCommand.Privileges(unit), .. UnitCommand.Expand(unit["ExecStart"]!, environment, paths)], environment, "/");

        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:8081"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the ingress exited with {process.ExitCode}:\n{process.RecentLog}");
            try
            {
                using var response = await http.GetAsync("/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"the ingress was not ready within 2 minutes:\n{process.RecentLog}");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
            await process.DisposeAsync();
    }
}
