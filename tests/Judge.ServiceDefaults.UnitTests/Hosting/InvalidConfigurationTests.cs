using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Judge.ServiceDefaults.UnitTests.Hosting;

/// <summary>A host that cannot run with its configuration says which key, once, and exits 2: configuration errors are
/// told apart from every other failure, which still propagates.</summary>
public class InvalidConfigurationTests
{
    private sealed class Limits
    {
        public bool FanOut { get; set; }
        public TimeSpan Timeout { get; set; }
    }

    /// <summary>What the configuration binder throws for <paramref name="key"/>=<paramref name="value"/>.</summary>
    private static InvalidOperationException BinderError(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"Judge:{key}", value)]).Build();
        return Assert.Throws<InvalidOperationException>(() => configuration.GetSection("Judge").Get<Limits>());
    }

    [Fact]
    public void A_value_the_binder_cannot_convert_is_described_by_its_key_and_value()
    {
        var problems = InvalidConfiguration.Describe(BinderError("FanOut", "maybe"));

        var problem = Assert.Single(problems!);
        Assert.Contains("'maybe'", problem);
        Assert.Contains("'Judge:FanOut'", problem);
    }

    [Fact]
    public void A_validators_failures_are_one_problem_each()
    {
        var error = new OptionsValidationException("Judge", typeof(Limits), ["Judge:Slots must be at least 1", "Judge:WorkRoot must be set"]);

        Assert.Equal(["Judge:Slots must be at least 1", "Judge:WorkRoot must be set"], InvalidConfiguration.Describe(error));
    }

    [Fact]
    public void Several_configuration_errors_at_once_are_all_described()
    {
        var error = new AggregateException(
            new OptionsValidationException("Judge", typeof(Limits), ["Judge:Slots must be at least 1"]),
            BinderError("Timeout", "soon"));

        var problems = InvalidConfiguration.Describe(error)!;

        Assert.Equal(2, problems.Count);
        Assert.Equal("Judge:Slots must be at least 1", problems[0]);
        Assert.Contains("'Judge:Timeout'", problems[1]);
    }

    [Fact]
    public void Other_failures_are_not_configuration_errors()
    {
        Assert.Null(InvalidConfiguration.Describe(new InvalidOperationException("Sequence contains no elements")));
        Assert.Null(InvalidConfiguration.Describe(new IOException("disk full")));
        // One failure that is not about configuration makes the whole aggregate a failure of another kind.
        Assert.Null(InvalidConfiguration.Describe(new AggregateException(BinderError("FanOut", "maybe"), new IOException("disk full"))));
    }

    [Fact]
    public async Task A_host_with_an_invalid_value_writes_one_line_per_problem_and_answers_exit_code_2()
    {
        var error = new StringWriter();

        var exit = await InvalidConfiguration.RunAsync("judge-silo", () => throw new AggregateException(
            new OptionsValidationException("Judge", typeof(Limits), ["Judge:Slots must be at least 1"]),
            BinderError("FanOut", "maybe")), error);

        Assert.Equal(2, exit);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("judge-silo: invalid configuration: Judge:Slots must be at least 1", lines[0]);
        Assert.StartsWith("judge-silo: invalid configuration: Failed to convert configuration value 'maybe' at 'Judge:FanOut'", lines[1]);
    }

    [Fact]
    public async Task A_host_that_runs_and_stops_answers_0_and_other_failures_propagate()
    {
        var error = new StringWriter();

        Assert.Equal(0, await InvalidConfiguration.RunAsync("judge-silo", () => Task.CompletedTask, error));
        await Assert.ThrowsAsync<IOException>(() => InvalidConfiguration.RunAsync("judge-silo", () => throw new IOException("disk full"), error));
        Assert.Empty(error.ToString());
    }
}
