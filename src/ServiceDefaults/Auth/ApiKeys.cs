using System.Security.Cryptography;
using System.Text;

namespace Judge.ServiceDefaults.Auth;

/// <summary>The configured API keys of a host, by SHA-256 and by name; a presented key is hashed and compared with every
/// configured hash in constant time.</summary>
public sealed class ApiKeys
{
    private readonly IReadOnlyList<ApiKey> keys;
    private readonly Dictionary<string, ApiKey> byName;

    /// <summary>One usable key: its name, the SHA-256 of its value and its scopes.</summary>
    public sealed record ApiKey(string Name, byte[] Hash, IReadOnlySet<string> Scopes);

    /// <summary>Compiles validated options (see <see cref="JudgeAuthOptionsValidator"/>).</summary>
    public ApiKeys(JudgeAuthOptions options)
    {
        var list = new List<ApiKey>();
        foreach (var key in options.Keys)
        {
            var hash = key.Key is { Length: > 0 } plain ? Hash(plain) : Convert.FromHexString(key.KeySha256!);
            list.Add(new ApiKey(key.Name!, hash, new HashSet<string>(SplitScopes(key.Scopes!), StringComparer.Ordinal)));
        }
        if (options.JudgeToken is { } token)
            list.Add(new ApiKey(JudgeAuthOptions.JudgeTokenKeyName, Hash(token), new HashSet<string>([JudgeScopes.Read, JudgeScopes.Judge], StringComparer.Ordinal)));
        keys = list;
        byName = list.ToDictionary(k => k.Name, StringComparer.Ordinal);
        Closed = options.KeysConfigured;
    }

    /// <summary>Whether keys are configured (<c>Judge:Auth:Keys</c>): requests then need one.</summary>
    public bool Closed { get; }

    /// <summary>The key whose value is <paramref name="presented"/>, or <c>null</c>. Every configured hash is compared, in
    /// constant time, whatever matches.</summary>
    public ApiKey? Find(string presented)
    {
        var hash = Hash(presented);
        ApiKey? found = null;
        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
                found = key;
        }
        return found;
    }

    /// <summary>The key named <paramref name="name"/>, if it is (still) configured.</summary>
    public ApiKey? FindByName(string name) => byName.GetValueOrDefault(name);

    /// <summary>The keys, in configuration order.</summary>
    public IReadOnlyList<ApiKey> All => keys;

    /// <summary>The SHA-256 of the UTF-8 key.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The scopes of a comma-separated list, trimmed, without empty entries.</summary>
    public static IEnumerable<string> SplitScopes(string scopes) =>
        scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
