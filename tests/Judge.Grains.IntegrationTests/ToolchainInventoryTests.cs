using Judge.Engine.Judging;
using Judge.Engine.Sandbox.Process;
using Judge.Grains.Options;
using Judge.Grains.Toolchains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Judge.Grains.IntegrationTests;

/// <summary>What a silo offers follows its configuration (Judge:Toolchains, Judge:Languages:*) and what its probe proves.</summary>
public class ToolchainInventoryTests
{
    private static ToolchainInventory Probe(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<JudgingOptions>().Bind(configuration.GetSection(JudgingOptions.Section));
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<JudgingOptions>>();
        // The probe's self-tests are our own trusted programs: the unisolated runner is enough here.
        var judge = new SubmissionJudge(new ProcessSandbox(), JudgeOptions.Default with
        {
            WorkRoot = Path.Combine(Path.GetTempPath(), "judge-inventory-tests"),
        });
        return new ToolchainInventory(options, judge, NullLogger<ToolchainInventory>.Instance);
    }

    [Fact]
    public void A_configured_toolchain_path_that_does_not_exist_takes_the_language_offline()
    {
        var inventory = Probe(new()
        {
            ["Judge:Toolchains"] = "python3,cpp17",
            ["Judge:Languages:python3:Runtime"] = "/nonexistent/python3",
        });
        Assert.DoesNotContain("python3", inventory.Available.Keys);
        Assert.Equal("/nonexistent/python3 not found", inventory.Unavailable["python3"]);
        Assert.Contains("cpp17", inventory.Available.Keys);
    }

    [Fact]
    public void Configured_compiler_flags_are_used_and_must_work()
    {
        var working = Probe(new()
        {
            ["Judge:Toolchains"] = "cpp20",
            ["Judge:Languages:cpp20:Flags"] = "-std=c++20 -O1",
        });
        var cpp20 = Assert.IsType<Judge.Engine.Languages.Cpp20>(working.Available["cpp20"]);
        Assert.Equal(["-std=c++20", "-O1"], cpp20.Flags);
        Assert.StartsWith("g++ ", cpp20.Version);

        var broken = Probe(new()
        {
            ["Judge:Toolchains"] = "cpp20",
            ["Judge:Languages:cpp20:Flags"] = "-std=c++20 --no-such-flag",
        });
        Assert.Empty(broken.Available);
        Assert.Contains("self-test did not compile", broken.Unavailable["cpp20"]);
    }

    [Fact]
    public void Languages_left_out_of_Judge_Toolchains_are_not_offered_and_say_why()
    {
        var inventory = Probe(new() { ["Judge:Toolchains"] = "python3" });
        Assert.Equal(["python3"], inventory.Available.Keys);
        Assert.Equal("not in Judge:Toolchains", inventory.Unavailable["java"]);
    }
}
