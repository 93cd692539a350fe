namespace Judge.Engine.Checkers;

/// <summary>Decides whether a program's output answers one test.</summary>
public interface IChecker
{
    /// <summary>Checks the output file of one run against the test's input and answer files.</summary>
    Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The files of one check: test input, expected answer, and the program's output.</summary>
public sealed record CheckRequest(string InputPath, string AnswerPath, string OutputPath);

/// <summary>How a check ended.</summary>
public enum CheckStatus
{
    Accepted,
    WrongAnswer,
    PresentationError,
    /// <summary>The checker itself failed or judged the answer file invalid: the judge's fault.</summary>
    JudgeError,
}

/// <summary>The result of a check, with a message safe to show the submitter.</summary>
public sealed record CheckOutcome(CheckStatus Status, string? Message = null)
{
    public static CheckOutcome Accepted { get; } = new(CheckStatus.Accepted);
    public static CheckOutcome Wrong(string message) => new(CheckStatus.WrongAnswer, message);
}
