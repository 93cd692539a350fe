using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Judge.Cluster.EndToEndTests;

/// <summary><c>Judge:Kubernetes:Enabled</c> wires Orleans' Kubernetes hosting, and refuses to start without what it reads
/// from the pod. (Tests here run one at a time, so the pod variables set in the process environment reach only them.)</summary>
public class KubernetesHostingTests
{
    private const string Database = "--ConnectionStrings:Judge=Host=127.0.0.1;Database=judge";
    private const string Enabled = "--Judge:Kubernetes:Enabled=true";
    private const string PodName = "judge-silo-cpp-5d8f7c9b4-x2x9k";
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["POD_NAME"] = PodName,
        ["POD_NAMESPACE"] = "judge",
        ["POD_IP"] = "10.42.0.7",
    };

    private static WebApplicationBuilder Builder(params string[] settings) =>
        WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}", .. settings]);

    /// <summary>Runs <paramref name="action"/> with the pod variables in the environment, as the downward API sets them.</summary>
    private static T InPod<T>(Func<T> action, params string[] missing)
    {
        foreach (var (name, value) in Pod)
            Environment.SetEnvironmentVariable(name, missing.Contains(name) ? null : value);
        try
        {
            return action();
        }
        finally
        {
            foreach (var name in Pod.Keys)
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    /// <summary>The silo's name and whether Orleans' Kubernetes hosting checks its options, in a built (not started) host.</summary>
    private static (string SiloName, bool KubernetesHosting) SiloIdentity(params string[] settings) => InPod(() =>
    {
        var builder = Builder(settings);
        builder.AddJudgeSilo();
        using var app = builder.Build();
        return (app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName,
            app.Services.GetServices<IValidateOptions<KubernetesHostingOptions>>().Any());
    });

    [Fact]
    public void A_silo_in_a_pod_is_named_after_its_pod_by_Orleans_Kubernetes_hosting()
    {
        var (name, kubernetesHosting) = SiloIdentity(Database, Enabled);
        Assert.Equal(PodName, name);
        Assert.True(kubernetesHosting);
    }

    [Fact]
    public void Without_the_setting_the_pod_variables_change_nothing()
    {
        var (name, kubernetesHosting) = SiloIdentity(Database);
        Assert.NotEqual(PodName, name);
        Assert.False(kubernetesHosting);
    }

    [Theory]
    [InlineData("POD_NAME", "metadata.name")]
    [InlineData("POD_NAMESPACE", "metadata.namespace")]
    [InlineData("POD_IP", "status.podIP")]
    public void A_missing_pod_variable_stops_the_silo_naming_it(string variable, string field)
    {
        var message = InPod(() => Assert.Throws<OptionsValidationException>(() => Builder(Database, Enabled).AddJudgeSilo()).Message, variable);
        Assert.Contains($"Judge:Kubernetes:Enabled=true needs {variable} ({field})", message);
    }

    [Fact]
    public void Kubernetes_hosting_without_a_database_is_refused()
    {
        var message = InPod(() => Assert.Throws<OptionsValidationException>(() => Builder(Enabled).AddJudgeSilo()).Message);
        Assert.Contains("Judge:Kubernetes:Enabled=true needs ConnectionStrings:Judge", message);
    }

    [Fact]
    public void A_setting_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        var message = Assert.Throws<OptionsValidationException>(() => Builder(Database, "--Judge:Kubernetes:Enabled=yes").AddJudgeSilo()).Message;
        Assert.Contains("Judge:Kubernetes:Enabled (env Judge__Kubernetes__Enabled) must be true or false", message);
    }
}
