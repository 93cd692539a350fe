namespace Judge.Deploy.Tests;

/// <summary>Every kustomization of deploy/k8s renders, and every object it renders is valid against the Kubernetes API
/// schemas (kubernetes-models) or, for KEDA's objects, KEDA's CRD schemas (@kubernetes-models/keda).</summary>
[Collection(RenderedManifestsCollection.Name)]
public class KubernetesSchemaTests(RenderedManifests manifests)
{
    public static TheoryData<string> Kustomizations => new(RenderedManifests.Kustomizations);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_rendered_object_is_valid_against_its_schema(string kustomization)
    {
        var rendering = manifests.Renderings[kustomization];
        Assert.True(rendering.ValidatorExit == 0, $"deploy/k8s/{kustomization}:\n{rendering.ValidatorOutput}");
        var validated = rendering.ValidatorOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rendering.Objects.Count, validated.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        Assert.NotEmpty(rendering.Objects);
    }

    [Fact]
    public void The_validator_rejects_a_Deployment_that_breaks_the_schema()
    {
        const string broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: two
              selector:
                matchLabels: {app: broken}
              template:
                metadata:
                  labels: {app: broken}
                spec:
                  containers:
                    - image: judge-silo-all
            """;
        var (exit, output, _) = Tools.Run(Tools.Node, [Tools.Validator], stdin: broken);
        Assert.Equal(1, exit);
        Assert.Contains("invalid apps/v1 Deployment/broken", output);
        Assert.Contains("spec/replicas must be integer", output);
        Assert.Contains("must have required property name", output);
    }

    [Fact]
    public void The_validator_rejects_a_KEDA_object_that_breaks_KEDA_schema_and_a_kind_it_does_not_know()
    {
        const string objects = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: no-target
            spec:
              triggers: []
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata:
              name: anything
            """;
        var (exit, output, _) = Tools.Run(Tools.Node, [Tools.Validator], stdin: objects);
        Assert.Equal(1, exit);
        Assert.Contains("invalid keda.sh/v1alpha1 ScaledObject/no-target", output);
        Assert.Contains("scaleTargetRef", output);
        Assert.Contains("invalid example.com/v1 Unknown/anything: no schema", output);
    }
}
