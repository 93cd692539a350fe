using System.Collections.Immutable;

namespace Judge.Interfaces;

/// <summary>A silo's judging of test ranges handed to it by submissions judged on other silos (the fan-out of tests across
/// silos): always activated on the silo named by its key (<c>SiloAddress.ToParsableString()</c>), never elsewhere.</summary>
[Alias("judge.ITestRangeGrain")]
public interface ITestRangeGrain : IGrainWithStringKey
{
    /// <summary>Judges the range's tests in order on a judging slot that is idle now, with the program the submission's silo
    /// compiled (fetched from the compile cache, never compiled here), and returns the results of the tests it judged: a
    /// prefix of the range. It stops after the first rejected test when the range's batch breaks there, and before a test
    /// when a job of this silo waits for a slot; it judges none when no slot is idle or the program or the problem's version
    /// is not available here. Cancelling <paramref name="cancellationToken"/> stops it.</summary>
    [Alias("Run"), ResponseTimeout("01:00:00")]
    Task<ImmutableArray<TestResult>> Run(TestRangeJob job, CancellationToken cancellationToken = default);
}

/// <summary>A range of one submission's tests handed to another silo: the submission's request (language, problem, source),
/// which problem version and time limit it is judged against, and the tests (indexes into the problem's tests, ascending,
/// with their names).</summary>
[GenerateSerializer, Immutable, Alias("judge.TestRangeJob")]
public sealed record TestRangeJob(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] SubmissionRequest Request,
    [property: Id(3)] string? ProblemVersion,
    [property: Id(4)] ImmutableArray<int> Tests,
    [property: Id(5)] ImmutableArray<string> TestNames,
    [property: Id(6)] bool Breaks,
    [property: Id(7)] TimeSpan TimeLimit);
