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

    /// <summary>Exact, case-insensitive, whitespace-insensitive token comparison.</summary>
    public static ValidatorFlags Default { get; } = new();

    /// <summary>Parses a flags string such as <c>"float_tolerance 1e-6 case_sensitive"</c>.</summary>
    /// <exception cref="FormatException">An unknown flag, or a tolerance that is missing, not a number or negative; the message names it.</exception>
    public static ValidatorFlags Parse(string? flags) => throw new NotImplementedException();
}
