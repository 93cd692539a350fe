using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Judge.ServiceDefaults.Auth;

/// <summary>Checks the access rules at start; every message names the configuration key that fixes it.</summary>
public sealed partial class JudgeAuthOptionsValidator : IValidateOptions<JudgeAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JudgeAuthOptions options)
    {
        var errors = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (options.JudgeToken is { } token)
        {
            if (token.Length < JudgeAuthOptions.MinKeyLength)
                errors.Add($"{JudgeAuthOptions.JudgeTokenKey} must be at least {JudgeAuthOptions.MinKeyLength} characters (it guards the judges' messages), or unset");
            names[JudgeAuthOptions.JudgeTokenKeyName] = JudgeAuthOptions.JudgeTokenKey;
            hashes[Convert.ToHexString(ApiKeys.Hash(token))] = JudgeAuthOptions.JudgeTokenKey;
        }

        foreach (var key in options.Keys)
        {
            if (string.IsNullOrWhiteSpace(key.Name))
                errors.Add($"{key.Path}:Name is missing: every API key needs a name (letters, digits, '.', '_', '-')");
            else if (!KeyName().IsMatch(key.Name))
                errors.Add($"{key.Path}:Name '{key.Name}' must be 1 to 64 letters, digits, '.', '_' or '-'");
            else if (names.TryGetValue(key.Name, out var other))
                errors.Add($"{key.Path}:Name '{key.Name}' is already the name of {other}: key names must be unique");
            else
                names[key.Name] = key.Path;

            string? hash = null;
            if (key.Key is { Length: > 0 } && key.KeySha256 is { Length: > 0 })
                errors.Add($"{key.Path} has both Key and KeySha256: give one of {key.Path}:Key or {key.Path}:KeySha256");
            else if (key.Key is { Length: > 0 } plain)
            {
                if (plain.Length < JudgeAuthOptions.MinKeyLength)
                    errors.Add($"{key.Path}:Key must be at least {JudgeAuthOptions.MinKeyLength} characters");
                else if (plain.Any(char.IsWhiteSpace))
                    errors.Add($"{key.Path}:Key must not contain white space");
                hash = Convert.ToHexString(ApiKeys.Hash(plain));
            }
            else if (key.KeySha256 is { Length: > 0 } hex)
            {
                if (hex.Length != 64 || !Hex().IsMatch(hex))
                    errors.Add($"{key.Path}:KeySha256 must be 64 hex digits (the SHA-256 of the key, e.g. from `printf %s KEY | sha256sum`), not '{hex}'");
                else
                    hash = hex;
            }
            else
                errors.Add($"{key.Path} needs {key.Path}:Key or {key.Path}:KeySha256");

            if (hash is not null)
            {
                if (hashes.TryGetValue(hash, out var same))
                    errors.Add($"{key.Path} has the same key as {same}: every key must be different");
                else
                    hashes[hash] = key.Path;
            }

            if (string.IsNullOrWhiteSpace(key.Scopes))
                errors.Add($"{key.Path}:Scopes is empty: give a comma-separated list from {string.Join(", ", JudgeScopes.All)}");
            else
            {
                foreach (var scope in ApiKeys.SplitScopes(key.Scopes).Where(s => !JudgeScopes.All.Contains(s)))
                    errors.Add($"{key.Path}:Scopes has the unknown scope '{scope}'; known scopes: {string.Join(", ", JudgeScopes.All)}");
            }
        }

        if (options.SubmitsPerMinute < 1)
            errors.Add($"{JudgeAuthOptions.Section}:SubmitsPerMinute must be at least 1, not {options.SubmitsPerMinute}");
        if (options.SessionHours is <= 0 or > 24 * 30 || double.IsNaN(options.SessionHours))
            errors.Add($"{JudgeAuthOptions.Section}:SessionHours must be more than 0 and at most 720, not {options.SessionHours}");
        if (options.CookieSecret is { Length: < JudgeAuthOptions.MinCookieSecretLength })
            errors.Add($"{JudgeAuthOptions.Section}:CookieSecret must be at least {JudgeAuthOptions.MinCookieSecretLength} characters, or unset");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9A-Fa-f]+$")]
    private static partial Regex Hex();
}
