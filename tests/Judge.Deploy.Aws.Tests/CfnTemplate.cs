using System.Text.Json;

namespace Judge.Deploy.Aws.Tests;

/// <summary>A synthesized CloudFormation template, read as JSON, with its intrinsic functions rendered as readable text
/// (<c>Ref X</c> → <c>X</c>, <c>GetAtt X.Arn</c> → <c>X.Arn</c>, imports resolved through the exporting stack).</summary>
internal sealed class CfnTemplate(string name, JsonElement root, Func<string, JsonElement?> import)
{
    public string Name { get; } = name;

    public JsonElement Root { get; } = root;

    public IEnumerable<(string Id, JsonElement Properties)> Resources(string type) =>
        Root.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var p) ? p : default));

    public JsonElement Resource(string id) => Root.GetProperty("Resources").GetProperty(id);

    public IReadOnlyDictionary<string, JsonElement> Outputs =>
        Root.TryGetProperty("Outputs", out var outputs) ? outputs.EnumerateObject().ToDictionary(o => o.Name, o => o.Value) : [];

    /// <summary>The value an export of this template stands for, by export name.</summary>
    public JsonElement? Export(string exportName) =>
        Outputs.Values.Where(o => o.TryGetProperty("Export", out var e) && e.GetProperty("Name").GetString() == exportName)
            .Select(o => (JsonElement?)o.GetProperty("Value")).FirstOrDefault();

    /// <summary>Renders a CloudFormation value as text.</summary>
    public string Describe(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Array:
                return "[" + string.Join(", ", value.EnumerateArray().Select(Describe)) + "]";
            case JsonValueKind.Object:
                var property = value.EnumerateObject().Single();
                return property.Name switch
                {
                    "Ref" when property.Value.GetString()!.StartsWith("AWS::", StringComparison.Ordinal) => "${" + property.Value.GetString() + "}",
                    "Ref" => property.Value.GetString()!,
                    "Fn::GetAtt" => string.Join(".", property.Value.EnumerateArray().Select(e => e.GetString())),
                    "Fn::ImportValue" => import(property.Value.GetString()!) is { } exported
                        ? Describe(exported)
                        : throw new InvalidOperationException($"{Name}: import {property.Value.GetString()} has no export"),
                    "Fn::Join" => string.Join(property.Value[0].GetString(), property.Value[1].EnumerateArray().Select(Describe)),
                    "Fn::Base64" => Describe(property.Value),
                    _ => property.Value.GetRawText(),
                };
            default:
                return value.GetRawText();
        }
    }

    /// <summary>Every Allow statement of the identity policies attached to a role, one line per action and resource:
    /// <c>sqs:SendMessage on X.Arn</c> (with <c>if {condition}</c> when conditional).</summary>
    public ISet<string> RolePermissions(string roleId)
    {
        var statements = new List<JsonElement>();
        foreach (var (_, policy) in Resources("AWS::IAM::Policy"))
            if (policy.GetProperty("Roles").EnumerateArray().Any(r => Describe(r) == roleId))
                statements.AddRange(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        var role = Resource(roleId).GetProperty("Properties");
        if (role.TryGetProperty("Policies", out var inline))
            foreach (var policy in inline.EnumerateArray())
                statements.AddRange(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.False(role.TryGetProperty("ManagedPolicyArns", out _), $"{roleId} has managed policies: their actions cannot be checked here");

        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            var condition = statement.TryGetProperty("Condition", out var c) ? " if " + JsonSerializer.Serialize(c) : "";
            foreach (var action in Many(statement.GetProperty("Action")))
                foreach (var resource in Many(statement.GetProperty("Resource")))
                    lines.Add($"{Describe(action)} on {Describe(resource)}{condition}");
        }
        return lines;
    }

    public static IEnumerable<JsonElement> Many(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];
}
