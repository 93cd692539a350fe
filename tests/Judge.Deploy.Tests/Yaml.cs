using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Judge.Deploy.Tests;

/// <summary>YAML documents as <see cref="JsonNode"/> trees (every scalar a string), to walk manifests by key.</summary>
internal static class Yaml
{
    /// <summary>Every non-empty document of <paramref name="text"/>.</summary>
    public static List<JsonObject> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    /// <summary>The single document of a file.</summary>
    public static JsonObject File(string path) => Documents(System.IO.File.ReadAllText(path)).Single();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    /// <summary>The string at <paramref name="node"/>, or null.</summary>
    public static string? Text(this JsonNode? node) => node?.GetValue<string>();

    /// <summary>The items of the array at <paramref name="node"/> (none when absent).</summary>
    public static IEnumerable<JsonObject> Items(this JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>The strings of the array at <paramref name="node"/> (none when absent).</summary>
    public static List<string> Strings(this JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [];

    /// <summary>The string map at <paramref name="node"/> (empty when absent).</summary>
    public static Dictionary<string, string> Map(this JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value.Text() ?? "") : [];
}
