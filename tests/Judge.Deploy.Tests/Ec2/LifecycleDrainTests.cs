using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>deploy/ec2/bin/judge-lifecycle.sh against an instance metadata service on 127.0.0.1 that speaks IMDSv2
/// (a session token is required) and whose lifecycle state turns to <c>Terminated</c> after a few polls. systemctl and
/// the AWS CLI are the two commands the script drives; they are replaced by recorders on PATH (there is no systemd
/// manager or AWS account here).</summary>
public sealed class LifecycleDrainTests : IAsyncLifetime
{
    private const string Token = "imds-session-token";
    private readonly TempDirectory directory = new();
    private readonly int port = Ports.Free();
    private WebApplication? imds;
    private int statePolls;
    private int unauthorized;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        imds = builder.Build();
        imds.MapPut("/latest/api/token", (HttpRequest request) =>
            request.Headers["X-aws-ec2-metadata-token-ttl-seconds"].Count > 0 ? Microsoft.AspNetCore.Http.Results.Text(Token) : Microsoft.AspNetCore.Http.Results.BadRequest());
        imds.MapGet("/latest/meta-data/{**path}", (string path, HttpRequest request) =>
        {
            if (request.Headers["X-aws-ec2-metadata-token"] != Token)
            {
                Interlocked.Increment(ref unauthorized);
                return Microsoft.AspNetCore.Http.Results.Unauthorized();
            }
            return path switch
            {
                // Not in Terminating:Wait for the first polls: the path is absent, as on an instance in service.
                "autoscaling/target-lifecycle-state" => Interlocked.Increment(ref statePolls) <= 3 ? Microsoft.AspNetCore.Http.Results.NotFound() : Microsoft.AspNetCore.Http.Results.Text("Terminated"),
                "instance-id" => Microsoft.AspNetCore.Http.Results.Text("i-0123456789abcdef0"),
                _ => Microsoft.AspNetCore.Http.Results.NotFound(),
            };
        });
        await imds.StartAsync();
    }

    /// <summary>Runs the script with systemctl and aws recording their arguments in calls.log (systemctl failing when
    /// <paramref name="stopFails"/>).</summary>
    private (Tool.Output Result, string[] Calls) Run(bool stopFails = false)
    {
        var bin = Directory.CreateDirectory(Path.Combine(directory.Path, "bin")).FullName;
        var calls = Path.Combine(directory.Path, "calls.log");
        File.WriteAllText(Path.Combine(bin, "systemctl"), $"#!/bin/sh\necho \"systemctl $*\" >> '{calls}'\nexit {(stopFails ? 1 : 0)}\n");
        File.WriteAllText(Path.Combine(bin, "aws"), $"""
            #!/bin/sh
            echo "aws $*" >> '{calls}'
            case "$2" in describe-auto-scaling-instances) echo judge-cpp ;; esac
            """ + "\n");
        foreach (var stub in new[] { "systemctl", "aws" })
            File.SetUnixFileMode(Path.Combine(bin, stub), (UnixFileMode)0b111_101_101);
        var result = Tool.Run(Ec2Files.Path("bin/judge-lifecycle.sh"), [], directory.Path, new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:/usr/bin:/bin",
            ["JUDGE_LIFECYCLE_HOOK"] = "judge-drain",
            ["JUDGE_LIFECYCLE_POLL_SECONDS"] = "0.1",
            ["JUDGE_IMDS_ENDPOINT"] = $"http://127.0.0.1:{port}",
        }, "bash");
        return (result, File.Exists(calls) ? File.ReadAllLines(calls) : []);
    }

    [Fact]
    public void Termination_drains_the_judge_units_and_then_completes_the_lifecycle_action()
    {
        var (result, calls) = Run();
        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(statePolls >= 4, $"the state was read {statePolls} times");
        Assert.Equal(0, unauthorized); // every metadata read carried an IMDSv2 session token
        Assert.Equal(
        [
            "systemctl stop judge-silo.service judge-ingress.service",
            "aws autoscaling describe-auto-scaling-instances --instance-ids i-0123456789abcdef0 --query AutoScalingInstances[0].AutoScalingGroupName --output text",
            "aws autoscaling complete-lifecycle-action --lifecycle-hook-name judge-drain --auto-scaling-group-name judge-cpp --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE",
        ], calls);
    }

    [Fact]
    public void A_failed_drain_never_completes_the_lifecycle_action()
    {
        var (result, calls) = Run(stopFails: true);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["systemctl stop judge-silo.service judge-ingress.service"], calls);
    }

    public async Task DisposeAsync()
    {
        if (imds is not null)
            await imds.DisposeAsync();
        directory.Dispose();
    }
}
