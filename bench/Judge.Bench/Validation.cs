using System.Diagnostics;
using System.Globalization;
using Judge.Engine.Checkers;

namespace Judge.Bench;

/// <summary><c>-- validate [tokens] [rounds]</c>: the default output validator on a large accepted output (issue 14,
/// goal 1: no per-test work or allocation that grows with the problem beyond reading the files), against a baseline in
/// the same run that only reads both files and compares their bytes. Medians of the rounds, interleaved.</summary>
internal static class Validation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tokens = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var directory = Directory.CreateTempSubdirectory("judge-bench-validate").FullName;
        try
        {
            var answer = Path.Combine(directory, "answer");
            var output = Path.Combine(directory, "output");
            var text = string.Join('\n', Enumerable.Range(0, tokens / 2).Select(i => $"{i * 7919L % 1_000_000_007} {i}")) + "\n";
            await File.WriteAllTextAsync(answer, text);
            await File.WriteAllTextAsync(output, text);
            var megabytes = new FileInfo(output).Length / 1e6;
            var request = new CheckRequest(answer, answer, output);
            var validators = new[] { ("default", new DefaultValidator(ValidatorFlags.Parse(null))), ("float_tolerance 1e-6", new DefaultValidator(ValidatorFlags.Parse("float_tolerance 1e-6"))) };

            var baseline = new List<double>();
            var times = validators.ToDictionary(v => v.Item1, _ => new List<double>());
            var allocated = validators.ToDictionary(v => v.Item1, _ => 0L);
            for (var round = -2; round < rounds; round++) // two rounds of warm-up
            {
                var clock = Stopwatch.StartNew();
                var same = File.ReadAllBytes(answer).AsSpan().SequenceEqual(File.ReadAllBytes(output));
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (!same)
                    throw new InvalidOperationException("the files differ");
                if (round >= 0)
                    baseline.Add(elapsed);
                foreach (var (name, validator) in validators)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    clock.Restart();
                    var outcome = await validator.CheckAsync(request);
                    elapsed = clock.Elapsed.TotalMilliseconds;
                    if (outcome.Status != CheckStatus.Accepted)
                        throw new InvalidOperationException($"{name}: {outcome.Status} {outcome.Message}");
                    if (round >= 0)
                    {
                        times[name].Add(elapsed);
                        allocated[name] = GC.GetTotalAllocatedBytes(precise: true) - before;
                    }
                }
            }

            var bare = Median(baseline);
            Console.WriteLine($"{tokens:N0} tokens, {megabytes:0.0} MB per file, medians of {rounds} rounds");
            Console.WriteLine($"| | ms | MB/s of output | over the baseline | bytes allocated |");
            Console.WriteLine($"|---|---|---|---|---|");
            Console.WriteLine($"| baseline: read both files, compare bytes | {bare:0.0} | {megabytes / bare * 1000:0} | 1.00× | |");
            foreach (var (name, _) in validators)
            {
                var median = Median(times[name]);
                Console.WriteLine($"| default validator, {name} | {median:0.0} | {megabytes / median * 1000:0} | {median / bare:0.00}× | {allocated[name]:N0} |");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
