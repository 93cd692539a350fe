using System.Net;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>deploy/ec2/bin/judge-lifecycle.sh against an instance metadata service on 127.0.0.1 that speaks IMDSv2
/// (a session token is required) and whose lifecycle state turns to <c>Terminated</c> after a few polls. systemctl and
/// the AWS CLI are the two commands the script drives; they are replaced by recorders on PATH (there is no systemd
/// manager or AWS account here).</summary>
public sealed class LifecycleDrainTests : IDisposable
{
    private const string Token = "imds-session-token";
    private readonly TempDirectory directory = new();
    private readonly HttpListener imds = new();
    private readonly int port = Ports.Free();
    private int statePolls;
    private int unauthorized;

    public LifecycleDrainTests()
    {
        imds.Prefixes.Add($"http://127.0.0.1:{port}/");
        imds.Start();
        _ = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (imds.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await imds.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var (status, body) = Answer(context.Request);
            context.Response.StatusCode = status;
            await using (var writer = new StreamWriter(context.Response.OutputStream))
                await writer.WriteAsync(body);
            context.Response.Close();
        }
    }

    private (int, string) Answer(HttpListenerRequest request)
    {
        if (request.HttpMethod == "PUT" && request.Url!.AbsolutePath == "/latest/api/token")
            return request.Headers["X-aws-ec2-metadata-token-ttl-seconds"] is { Length: > 0 } ? (200, Token) : (400, "");
        if (request.Headers["X-aws-ec2-metadata-token"] != Token)
        {
            Interlocked.Increment(ref unauthorized);
            return (401, "");
        }
        return request.Url!.AbsolutePath switch
        {
            // Not in Terminating:Wait for the first polls: the path is absent, as on an instance in service.
            "/latest/meta-data/autoscaling/target-lifecycle-state" => Interlocked.Increment(ref statePolls) <= 3 ? (404, "") : (200, "Terminated"),
            "/latest/meta-data/instance-id" => (200, "i-0123456789abcdef0"),
            _ => (404, ""),
        };
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

    public void Dispose()
    {
        imds.Close();
        directory.Dispose();
    }
}
