using System.Globalization;

namespace Judge.Engine.Checkers;

/// <summary>Flags of the Kattis default output validator (problem.yaml <c>validator_flags</c>).</summary>
public sealed record ValidatorFlags
{
    /// <summary>Compare tokens case-sensitively (<c>case_sensitive</c>).</summary>
    public bool CaseSensitive { get; init; }

    /// <summary>Whitespace must match exactly (<c>space_change_sensitive</c>).</summary>
    public bool SpaceChangeSensitive { get; init; }

    /// <summary>Absolute tolerance for numbers (<c>float_absolute_tolerance</c>, or <c>float_tolerance</c>).</summary>
    public double? AbsoluteTolerance { get; init; }

    /// <summary>Relative tolerance for numbers (<c>float_relative_tolerance</c>, or <c>float_tolerance</c>).</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>Whether numbers are compared with a tolerance (either tolerance is set).</summary>
    public bool ComparesNumbers => AbsoluteTolerance is not null || RelativeTolerance is not null;

    /// <summary>Exact, case-insensitive, whitespace-insensitive token comparison.</summary>
    public static ValidatorFlags Default { get; } = new();

    /// <summary>Parses a flags string such as <c>"float_tolerance 1e-6 case_sensitive"</c>.</summary>
    /// <exception cref="FormatException">An unknown flag, or a tolerance that is missing, not a number or negative; the message names it.</exception>
    public static ValidatorFlags Parse(string? flags)
    {
        if (string.IsNullOrWhiteSpace(flags))
        {
            return Default;
        }

        var words = flags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var result = Default;
        for (var i = 0; i < words.Length; i++)
        {
            var flag = words[i];
            switch (flag)
            {
                case "case_sensitive":
                    result = result with { CaseSensitive = true };
                    break;
                case "space_change_sensitive":
                    result = result with { SpaceChangeSensitive = true };
                    break;
                case "float_tolerance":
                    var both = ReadTolerance(flag, words, ref i);
                    result = result with { AbsoluteTolerance = both, RelativeTolerance = both };
                    break;
                case "float_absolute_tolerance":
                    result = result with { AbsoluteTolerance = ReadTolerance(flag, words, ref i) };
                    break;
                case "float_relative_tolerance":
                    result = result with { RelativeTolerance = ReadTolerance(flag, words, ref i) };
                    break;
                default:
                    throw new FormatException($"unknown validator flag '{flag}'");
            }
        }

        return result;
    }

    private static double ReadTolerance(string flag, string[] words, ref int i)
    {
        if (i + 1 >= words.Length)
        {
            throw new FormatException($"validator flag '{flag}' needs a number after it");
        }

        var text = words[++i];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new FormatException($"validator flag '{flag}' needs a number after it, not '{text}'");
        }

        if (value < 0)
        {
            throw new FormatException($"validator flag '{flag}' must not be negative (got '{text}')");
        }

        return value;
    }
}
