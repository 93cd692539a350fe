using Judge.Engine.Judging;
using Judge.Engine.Languages;

namespace Judge.Engine.Problems.Store;

/// <summary>Gives a <see cref="ProblemCache"/>'s packages that state no time limit their derived one, once per package
/// version: the limit recorded in the <see cref="IDerivedTimeLimitStore"/> if there is one, else derived by running the
/// accepted submissions (<see cref="TimeLimitDeriver"/>) and recorded, adopting whatever value was recorded first.</summary>
/// <param name="languages">The languages this silo offers (read when a derivation starts).</param>
/// <param name="timeout">How long one package's derivation may take before the package is refused.</param>
public sealed class TimeLimitDerivation(TimeLimitDeriver deriver, Func<IReadOnlyDictionary<string, Language>> languages, IDerivedTimeLimitStore store,
    TimeSpan timeout)
{
    /// <summary>Thirty minutes: room for a package of many tests with several slow accepted submissions.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    private int derivations;

    /// <summary>The deriver, for its settings.</summary>
    public TimeLimitDeriver Deriver => deriver;

    /// <summary>How many times a limit was derived by running submissions (not found in the store), for tests and logs.</summary>
    public int Derivations => Volatile.Read(ref derivations);

    /// <summary>The problem with its derived time limit.</summary>
    /// <exception cref="ProblemFormatException">The limit cannot be derived; the message names the file and why.</exception>
    public async Task<Problem> ApplyAsync(Problem problem, string contentHash, CancellationToken cancellationToken)
    {
        // Recorded first: a silo that cannot run any of the accepted submissions (its toolchains) adopts another silo's limit.
        if (await store.FindAsync(problem.Id, contentHash, cancellationToken) is { } known)
            return With(problem, known);
        var offered = languages();
        TimeLimitDeriver.CheckDerivable(problem, offered); // refused before anything runs: no accepted submission to run here

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        DerivedTimeLimit derived;
        try
        {
            Interlocked.Increment(ref derivations);
            derived = await deriver.DeriveAsync(problem, offered, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProblemFormatException(problem.Id, TimeLimitDeriver.AcceptedFolder,
                $"deriving the time limit from the accepted submissions took longer than {timeout.TotalMinutes:0.#} min; state it in problem.yaml limits.time_limit");
        }

        return With(problem, await store.RecordAsync(problem.Id, contentHash, derived, cancellationToken));
    }

    /// <summary><paramref name="problem"/> judged with <paramref name="derived"/>'s limit.</summary>
    public static Problem With(Problem problem, DerivedTimeLimit derived) => problem with
    {
        Limits = problem.Limits with { TimeLimit = derived.TimeLimit, Derived = derived, TimeLimitSource = derived.Description },
    };
}
