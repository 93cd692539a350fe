using Judge.Engine.Checkers;

namespace Judge.Engine.UnitTests.Checkers;

public sealed class ValidatorFlagsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t")]
    public void Missing_flags_give_the_default_comparison(string? flags)
    {
        Assert.Same(ValidatorFlags.Default, ValidatorFlags.Parse(flags));
    }

    [Fact]
    public void Default_is_exact_case_insensitive_and_whitespace_insensitive()
    {
        var flags = ValidatorFlags.Default;

        Assert.False(flags.CaseSensitive);
        Assert.False(flags.SpaceChangeSensitive);
        Assert.Null(flags.AbsoluteTolerance);
        Assert.Null(flags.RelativeTolerance);
        Assert.False(flags.ComparesNumbers);
    }

    [Fact]
    public void Case_and_space_flags_are_recognised()
    {
        var flags = ValidatorFlags.Parse("case_sensitive space_change_sensitive");

        Assert.True(flags.CaseSensitive);
        Assert.True(flags.SpaceChangeSensitive);
        Assert.False(flags.ComparesNumbers);
    }

    [Fact]
    public void Float_tolerance_sets_both_tolerances()
    {
        var flags = ValidatorFlags.Parse("float_tolerance 1e-6");

        Assert.Equal(1e-6, flags.AbsoluteTolerance);
        Assert.Equal(1e-6, flags.RelativeTolerance);
        Assert.True(flags.ComparesNumbers);
    }

    [Fact]
    public void Absolute_and_relative_tolerances_are_set_separately()
    {
        var flags = ValidatorFlags.Parse("  float_absolute_tolerance 0.5\n\tfloat_relative_tolerance 1E-3 case_sensitive ");

        Assert.Equal(0.5, flags.AbsoluteTolerance);
        Assert.Equal(1e-3, flags.RelativeTolerance);
        Assert.True(flags.CaseSensitive);
    }

    [Fact]
    public void Only_an_absolute_tolerance_leaves_the_relative_one_unset()
    {
        var flags = ValidatorFlags.Parse("float_absolute_tolerance 0");

        Assert.Equal(0, flags.AbsoluteTolerance);
        Assert.Null(flags.RelativeTolerance);
        Assert.True(flags.ComparesNumbers);
    }

    [Theory]
    [InlineData("ignore_case", "ignore_case")]
    [InlineData("case_sensitive Space_Change_Sensitive", "Space_Change_Sensitive")]
    [InlineData("float_tolerance", "float_tolerance")]
    [InlineData("float_absolute_tolerance", "float_absolute_tolerance")]
    [InlineData("float_relative_tolerance abc", "float_relative_tolerance")]
    [InlineData("float_tolerance -1e-6", "float_tolerance")]
    [InlineData("float_tolerance nan", "float_tolerance")]
    [InlineData("float_tolerance inf", "float_tolerance")]
    [InlineData("float_tolerance 1,5", "float_tolerance")]
    public void Bad_flags_are_rejected_with_a_message_naming_the_flag(string flags, string named)
    {
        var error = Assert.Throws<FormatException>(() => ValidatorFlags.Parse(flags));

        Assert.Contains($"'{named}'", error.Message);
    }

    [Fact]
    public void A_flag_is_not_taken_as_a_tolerance_value()
    {
        var error = Assert.Throws<FormatException>(() => ValidatorFlags.Parse("float_tolerance case_sensitive"));

        Assert.Contains("float_tolerance", error.Message);
        Assert.Contains("case_sensitive", error.Message);
    }
}
