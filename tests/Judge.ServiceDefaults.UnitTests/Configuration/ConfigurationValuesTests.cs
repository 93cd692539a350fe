using System.Globalization;
using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.UnitTests.Configuration;

/// <summary>A configuration value is read the same on every machine: a blank one keeps the default, a wrong one keeps it
/// too and is named with its key and text, and a time span in a message reads as the operator would write it.</summary>
public class ConfigurationValuesTests
{
    private const string Key = "Judge:Test:Value";

    private static IConfiguration With(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(Key, value)]).Build();

    /// <summary>Runs <paramref name="read"/> with <paramref name="culture"/> as the thread's culture, as on a machine set to it.</summary>
    private static T InCulture<T>(string culture, Func<T> read)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Well_formed_values_are_read_without_errors()
    {
        var errors = new List<string>();

        Assert.Equal(42, ConfigurationValues.Int(With("42"), Key, 1, errors));
        Assert.Equal(5_000_000_000L, ConfigurationValues.Long(With("5000000000"), Key, 1, errors));
        Assert.Equal(1024.5, ConfigurationValues.Number(With("1024.5"), Key, 1, errors));
        Assert.Equal(TimeSpan.FromMilliseconds(500), ConfigurationValues.Span(With("00:00:00.5"), Key, TimeSpan.Zero, errors));
        Assert.Equal(TimeSpan.FromDays(1), ConfigurationValues.Span(With("1.00:00:00"), Key, TimeSpan.Zero, errors));
        Assert.Equal(8080, ConfigurationValues.Port(With("8080"), Key, 1, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_blank_value_keeps_the_default(string? value)
    {
        var errors = new List<string>();
        var configuration = With(value);

        Assert.Equal(7, ConfigurationValues.Int(configuration, Key, 7, errors));
        Assert.Equal(7L, ConfigurationValues.Long(configuration, Key, 7, errors));
        Assert.Equal(7.5, ConfigurationValues.Number(configuration, Key, 7.5, errors));
        Assert.Equal(TimeSpan.FromSeconds(7), ConfigurationValues.Span(configuration, Key, TimeSpan.FromSeconds(7), errors));
        Assert.Equal(7, ConfigurationValues.Port(configuration, Key, 7, errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_value_of_the_wrong_type_keeps_the_default_and_is_named_with_its_key_and_text()
    {
        var errors = new List<string>();

        Assert.Equal(7, ConfigurationValues.Int(With("many"), Key, 7, errors));
        Assert.Equal(7L, ConfigurationValues.Long(With("1e3"), Key, 7, errors));
        Assert.Equal(7.5, ConfigurationValues.Number(With("fast"), Key, 7.5, errors));
        Assert.Equal(TimeSpan.FromSeconds(7), ConfigurationValues.Span(With("5 s"), Key, TimeSpan.FromSeconds(7), errors));
        Assert.Equal(7, ConfigurationValues.Port(With("eleven"), Key, 7, errors));
        Assert.Equal(
        [
            "Judge:Test:Value must be a whole number, not 'many'",
            "Judge:Test:Value must be a whole number, not '1e3'",
            "Judge:Test:Value must be a number, not 'fast'",
            "Judge:Test:Value must be a time span such as 00:00:30, not '5 s'",
            "Judge:Test:Value must be a port number from 1 to 65535, not 'eleven'",
        ], errors);
    }

    [Fact]
    public void A_decimal_point_means_the_same_on_a_German_machine()
    {
        var errors = new List<string>();

        Assert.Equal(0.5, InCulture("de-DE", () => ConfigurationValues.Number(With("0.5"), Key, 7, errors)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), InCulture("de-DE", () => ConfigurationValues.Span(With("00:00:00.5"), Key, TimeSpan.Zero, errors)));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_decimal_comma_is_refused_even_on_a_German_machine()
    {
        var errors = new List<string>();

        Assert.Equal(7, InCulture("de-DE", () => ConfigurationValues.Number(With("0,5"), Key, 7, errors)));
        Assert.Equal(TimeSpan.Zero, InCulture("de-DE", () => ConfigurationValues.Span(With("00:00:00,5"), Key, TimeSpan.Zero, errors)));
        Assert.Equal(["Judge:Test:Value must be a number, not '0,5'", "Judge:Test:Value must be a time span such as 00:00:30, not '00:00:00,5'"], errors);
    }

    [Fact]
    public void A_whole_number_with_a_local_minus_sign_is_refused_on_a_Swedish_machine()
    {
        // Swedish writes the minus sign as U+2212; configuration files are written with the ASCII one.
        var errors = new List<string>();

        Assert.Equal(7, InCulture("sv-SE", () => ConfigurationValues.Int(With("\u22125"), Key, 7, errors)));
        Assert.Equal(-5, InCulture("sv-SE", () => ConfigurationValues.Int(With("-5"), Key, 7, errors)));
        Assert.Equal(7, InCulture("sv-SE", () => ConfigurationValues.Port(With("\u22125"), Key, 7, errors)));
        Assert.Equal(2, errors.Count);
    }

    [Theory]
    [InlineData(0L, "00:00:00")]
    [InlineData(5_000_000L, "00:00:00.5")]
    [InlineData(15_000L, "00:00:00.0015")]
    [InlineData(1L, "00:00:00.0000001")]
    [InlineData(600_000_000L, "00:01:00")]
    [InlineData(36_000_000_000L, "01:00:00")]
    [InlineData(864_000_000_000L, "1.00:00:00")]
    [InlineData(937_642_500_000L, "1.02:02:44.25")]
    [InlineData(-10_000_000L, "-00:00:01")]
    [InlineData(-5_000_000L, "-00:00:00.5")]
    public void A_time_span_is_written_as_an_operator_writes_it(long ticks, string expected)
    {
        Assert.Equal(expected, ConfigurationValues.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(5_000_000L)]
    [InlineData(937_642_500_000L)]
    [InlineData(-5_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void A_written_time_span_reads_back_as_the_same_span(long ticks)
    {
        var errors = new List<string>();
        var span = TimeSpan.FromTicks(ticks);

        Assert.Equal(span, ConfigurationValues.Span(With(ConfigurationValues.Format(span)), Key, TimeSpan.FromSeconds(7), errors));
        Assert.Empty(errors);
    }
}
