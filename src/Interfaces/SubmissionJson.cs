using System.Text.Json;
using System.Text.RegularExpressions;

namespace Judge.Interfaces;

/// <summary>The rules every entry point (the HTTP body, an SQS message) applies to a submission's JSON fields, with the
/// same words for the same mistakes.</summary>
public static partial class SubmissionJson
{
    /// <summary>Largest accepted source, in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = 256 * 1024;

    /// <summary>The id rule, as error messages state it.</summary>
    public const string IdRule = "must be 1 to 128 characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit";

    /// <summary>Whether <paramref name="id"/> has the form of a submission id.</summary>
    public static bool IsValidId(string id) => SubmissionId().IsMatch(id);

    /// <summary>Reads the string field <paramref name="name"/>; a missing or null field is an error only when <paramref name="required"/>.</summary>
    public static bool TryString(JsonElement root, string name, bool required, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            if (required)
                error = $"field '{name}' is required";
            return !required;
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            error = $"field '{name}' must be a string, not {Describe(property.ValueKind)}";
            return false;
        }
        value = property.GetString();
        return true;
    }

    /// <summary>"an object", "a number"...: what a JSON value is, for error messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "a string",
    };

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")]
    private static partial Regex SubmissionId();
}
