using System.Text.Json.Nodes;

namespace Judge.Deploy.Tests;

/// <summary>deploy/k8s rendered once for a test class: each kustomization through <c>kubectl kustomize</c>, and each
/// rendering through the schema validator. The tree is copied to a temporary directory first, where the dev overlay's
/// git-ignored env files are made from their examples.</summary>
public sealed class RenderedManifests : IDisposable
{
    /// <summary>The kustomizations an operator applies, relative to deploy/k8s.</summary>
    public static readonly string[] Kustomizations =
        ["base", "overlays/eks", "overlays/dev", "migrate", "overlays/eks/migrate", "overlays/dev/migrate"];

    /// <summary>deploy/k8s.</summary>
    public static string Source => Path.Combine(Repository.Root, "deploy", "k8s");

    private readonly string _copy = Directory.CreateTempSubdirectory("judge-k8s-").FullName;

    /// <summary>One kustomization's output.</summary>
    public sealed record Rendering(string Name, string Yaml, IReadOnlyList<JsonObject> Objects, int ValidatorExit, string ValidatorOutput)
    {
        public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o["kind"].Text() == kind);

        public JsonObject Get(string kind, string name) =>
            OfKind(kind).SingleOrDefault(o => o["metadata"]!["name"].Text() == name)
            ?? throw new Xunit.Sdk.XunitException($"{Name}: no {kind}/{name} among {string.Join(", ", Objects.Select(Id))}");

        public static string Id(JsonObject o) => $"{o["kind"].Text()}/{o["metadata"]?["name"].Text()}";
    }

    public IReadOnlyDictionary<string, Rendering> Renderings { get; }

    public RenderedManifests()
    {
        CopyDirectory(Source, _copy);
        var dev = Path.Combine(_copy, "overlays", "dev");
        foreach (var example in Directory.EnumerateFiles(dev, "*.env.example"))
            File.Copy(example, example[..^".example".Length], overwrite: true);

        var renderings = new Dictionary<string, Rendering>();
        foreach (var name in Kustomizations)
        {
            var (exit, yaml, error) = Tools.Run(Tools.Kubectl, ["kustomize", Path.Combine(_copy, name)]);
            if (exit != 0)
                throw new InvalidOperationException($"kubectl kustomize deploy/k8s/{name} failed ({exit}): {error}");
            var (validatorExit, output, validatorError) = Tools.Run(Tools.Node, [Tools.Validator], stdin: yaml);
            renderings[name] = new Rendering(name, yaml, Yaml.Documents(yaml), validatorExit, output + validatorError);
        }
        Renderings = renderings;
    }

    /// <summary>The EKS overlay: what production applies.</summary>
    public Rendering Eks => Renderings["overlays/eks"];

    /// <summary>The operator's settings of the EKS overlay (overlays/eks/settings.yaml).</summary>
    public static Dictionary<string, string> EksSettings =>
        Yaml.File(Path.Combine(Source, "overlays", "eks", "settings.yaml"))["data"].Map();

    /// <summary>Every pod template (or pod spec's owner) of a rendering with its owner's id.</summary>
    public static IEnumerable<(string Owner, JsonObject Pod)> PodSpecs(Rendering rendering) =>
        rendering.Objects
            .Where(o => o["kind"].Text() is "Deployment" or "Job")
            .Select(o => (Rendering.Id(o), (JsonObject)o["spec"]!["template"]!["spec"]!));

    /// <summary>The silo Deployments (one per pool) of a rendering.</summary>
    public static IEnumerable<JsonObject> SiloDeployments(Rendering rendering) =>
        rendering.OfKind("Deployment").Where(d => d["spec"]!["template"]!["metadata"]!["labels"].Map()
            .GetValueOrDefault("app.kubernetes.io/name") == "judge-silo");

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}

/// <summary>The test classes that share one rendering of deploy/k8s.</summary>
[CollectionDefinition(Name)]
public sealed class RenderedManifestsCollection : ICollectionFixture<RenderedManifests>
{
    public const string Name = "rendered deploy/k8s";
}
