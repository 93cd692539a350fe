namespace Judge.Engine.Checkers;

/// <summary>Decides whether a program's output answers one test.</summary>
public interface IChecker
{
    /// <summary>Checks the output file of one run against the test's input and answer files.</summary>
    Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The files of one check: test input (in a multi-pass problem, the pass's input), expected answer, and the program's output.</summary>
public sealed record CheckRequest(string InputPath, string AnswerPath, string OutputPath)
{
    /// <summary>Extra arguments for a custom validator: the problem's <c>validator_flags</c>, then the test group's <c>output_validator_flags</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>A private directory under the sandbox's work root for checkers that run programs; the same directory for every
    /// pass of a multi-pass test (the feedback directory lives in it). Checkers that run nothing ignore it.</summary>
    public string? WorkDirectory { get; init; }
}

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
    /// <summary>What the checker told the judges (<c>judgemessage.txt</c>, a testlib checker's report); not for the submitter.</summary>
    public string? JudgeMessage { get; init; }

    /// <summary>The fraction of the test's points the checker gave (<c>score.txt</c>, testlib points), from 0 to 1; <c>null</c>: all of them when accepted.</summary>
    public double? Score { get; init; }

    /// <summary>The input of the submission's next run (a multi-pass validator's <c>nextpass.in</c>), when accepted and asked for.</summary>
    public string? NextPassInput { get; init; }

    /// <summary>The validator rejected (exit 43) yet left a <c>nextpass.in</c>: a judge error in a multi-pass problem.</summary>
    public bool RejectedWithNextPass { get; init; }

    public static CheckOutcome Accepted { get; } = new(CheckStatus.Accepted);
    public static CheckOutcome Wrong(string message) => new(CheckStatus.WrongAnswer, message);
    public static CheckOutcome Failed(string message, string? judgeMessage = null) => new(CheckStatus.JudgeError, message) { JudgeMessage = judgeMessage };
}
