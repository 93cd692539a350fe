namespace Judge.Engine.Checkers;

/// <summary>The Kattis default output validator: token comparison with case, whitespace and float options.</summary>
public sealed class DefaultValidator(ValidatorFlags flags) : IChecker
{
    public ValidatorFlags Flags { get; } = flags;

    public Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Compares a program's output with the expected answer.</summary>
    public CheckOutcome Compare(TextReader answer, TextReader output) => throw new NotImplementedException();
}
