using Microsoft.Extensions.Options;

namespace Judge.Silo.Options;

/// <summary>Checks <see cref="JudgeKubernetesOptions"/> against the cluster settings; every message names the key or the
/// environment variable that fixes it.</summary>
public sealed class JudgeKubernetesOptionsValidator(JudgeClusterOptions cluster) : IValidateOptions<JudgeKubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, JudgeKubernetesOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        const string downwardApi = "set it from the downward API in the pod spec, as deploy/k8s does";
        var errors = new List<string>();
        if (!cluster.UsesDatabase)
            errors.Add($"{JudgeKubernetesOptions.EnabledKey}=true needs ConnectionStrings:Judge (env ConnectionStrings__Judge): the silos of a Kubernetes deployment form their cluster in PostgreSQL");
        if (string.IsNullOrWhiteSpace(options.PodName))
            errors.Add($"{JudgeKubernetesOptions.EnabledKey}=true needs POD_NAME (metadata.name): {downwardApi}");
        if (string.IsNullOrWhiteSpace(options.PodNamespace))
            errors.Add($"{JudgeKubernetesOptions.EnabledKey}=true needs POD_NAMESPACE (metadata.namespace): {downwardApi}");
        if (string.IsNullOrWhiteSpace(options.PodIp))
            errors.Add($"{JudgeKubernetesOptions.EnabledKey}=true needs POD_IP (status.podIP): {downwardApi}");
        else if (options.PodAddress is null)
            errors.Add($"POD_IP must be the pod's IP address, not '{options.PodIp}'");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
