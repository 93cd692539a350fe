using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.Configuration;

/// <summary>Reads the typed values of a Judge host's configuration the same way everywhere: in the invariant culture (so
/// <c>0.5</c> means a half on any machine), a missing, empty or blank value keeps the default, and a value of the wrong
/// type keeps it too but adds a message naming the key and quoting the text, for the host to refuse to start with.</summary>
public static class ConfigurationValues
{
    /// <summary>The whole number at <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public static int Int(IConfiguration configuration, string key, int fallback, List<string> errors) =>
        Read(configuration, key, fallback, errors, "a whole number",
            static (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    /// <summary>The whole number at <paramref name="key"/> (a size, a count), or <paramref name="fallback"/>.</summary>
    public static long Long(IConfiguration configuration, string key, long fallback, List<string> errors) =>
        Read(configuration, key, fallback, errors, "a whole number",
            static (string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    /// <summary>The number at <paramref name="key"/>, with <c>.</c> as its decimal point, or <paramref name="fallback"/>.</summary>
    public static double Number(IConfiguration configuration, string key, double fallback, List<string> errors) =>
        Read(configuration, key, fallback, errors, "a number",
            static (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value));

    /// <summary>The time span at <paramref name="key"/> (<c>[d.]hh:mm:ss[.fffffff]</c>, such as <c>00:00:30</c> or
    /// <c>00:00:00.5</c>), or <paramref name="fallback"/>.</summary>
    public static TimeSpan Span(IConfiguration configuration, string key, TimeSpan fallback, List<string> errors) =>
        Read(configuration, key, fallback, errors, "a time span such as 00:00:30",
            static (string text, out TimeSpan value) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value));

    /// <summary>The port number at <paramref name="key"/>, or <paramref name="fallback"/>; whether it is from 1 to 65535
    /// is the validator's to say.</summary>
    public static int Port(IConfiguration configuration, string key, int fallback, List<string> errors) =>
        Read(configuration, key, fallback, errors, "a port number from 1 to 65535",
            static (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    /// <summary><paramref name="span"/> as an operator writes it, for messages: <c>00:00:00.5</c>, <c>00:01:00</c>,
    /// <c>1.00:00:00</c>. It is the constant (<c>c</c>) format without the fraction's trailing zeros, so
    /// <see cref="Span"/> reads it back as the same span.</summary>
    public static string Format(TimeSpan span)
    {
        var text = span.ToString("c", CultureInfo.InvariantCulture);
        // The "c" format writes a fraction only when there is one, always as seven digits after the seconds.
        return text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T Read<T>(IConfiguration configuration, string key, T fallback, List<string> errors, string expected, TryParse<T> parse)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (parse(text, out var value))
            return value;
        errors.Add($"{key} must be {expected}, not '{text}'");
        return fallback;
    }
}
