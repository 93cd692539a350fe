using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Bench;

/// <summary>Submissions per minute and p50/p99 latency (HTTP submit to verdict) per language (issue 14, goal 4), with and
/// without compile-cache hits: an identical source hits (it was judged once before the rounds); a miss is the same program
/// with a comment that makes every source unique, so it is compiled as a new submission is. The embedded silo, the bundled
/// <c>aplusb</c> problem, as many submissions in flight as the silo has judging slots.</summary>
internal static class Languages
{
    /// <summary>A+B in every language the catalog knows; {0} is where a miss's unique comment goes.</summary>
    private static readonly Dictionary<string, (string Comment, string Source)> Sources = new()
    {
        ["cpp17"] = ("//", "#include <bits/stdc++.h>\nusing namespace std;\nint main() { long long a, b; cin >> a >> b; cout << a + b << \"\\n\"; }\n"),
        ["cpp20"] = ("//", "#include <bits/stdc++.h>\nusing namespace std;\nint main() { long long a, b; cin >> a >> b; cout << a + b << \"\\n\"; }\n"),
        ["c11"] = ("//", "#include <stdio.h>\nint main(void) { long long a, b; if (scanf(\"%lld %lld\", &a, &b) != 2) return 1; printf(\"%lld\\n\", a + b); return 0; }\n"),
        ["python3"] = ("#", "a, b = map(int, input().split())\nprint(a + b)\n"),
        ["pypy3"] = ("#", "a, b = map(int, input().split())\nprint(a + b)\n"),
        ["java"] = ("//", "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n"),
        ["kotlin"] = ("//", "fun main() { val (a, b) = readLine()!!.trim().split(Regex(\"\\\\s+\")).map { it.toLong() }; println(a + b) }\n"),
        ["rust"] = ("//", "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!(\"{}\", v[0] + v[1]); }\n"),
        ["go"] = ("//", "package main\nimport \"fmt\"\nfunc main() { var a, b int64; fmt.Scan(&a, &b); fmt.Println(a + b) }\n"),
        ["javascript"] = ("//", "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\nconsole.log((a + b).toString());\n"),
        ["csharp"] = ("//", "using System;\nvar p = Console.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);\nConsole.WriteLine(long.Parse(p[0]) + long.Parse(p[1]));\n"),
    };

    /// <summary><c>languages [submissions per variant and round] [rounds] [language ...] [--Judge:Key=value ...]</c>; default
    /// 6 and 2, every language the silo offers.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var plain = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var numbers = plain.Where(a => int.TryParse(a, out _)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var count = numbers.ElementAtOrDefault(0) is > 0 and var c ? c : 6;
        var rounds = numbers.ElementAtOrDefault(1) is > 0 and var r ? r : 2;
        var only = plain.Where(a => !int.TryParse(a, out _)).ToHashSet();

        var root = Path.Combine(Path.GetTempPath(), "judge-bench-languages");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        await using var silo = await EmbeddedSilo.StartAsync(Repository.ExampleProblems, Path.Combine(root, "work"),
            args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        var slots = Environment.ProcessorCount;
        var offered = (await silo.Http.GetFromJsonAsync<JsonElement>("/api/languages")).EnumerateArray()
            .Select(l => l.GetProperty("id").GetString()!).ToList();
        var languages = offered.Where(Sources.ContainsKey).Where(l => only.Count == 0 || only.Contains(l)).ToList();
        Console.WriteLine($"offered: {string.Join(", ", offered)}; measured: {string.Join(", ", languages)}");
        var loadBefore = Measure.LoadAverage;

        var rows = new List<string>();
        var nonce = 0;
        foreach (var language in languages)
        {
            var (comment, source) = Sources[language];
            string Unique() => $"{source}{comment} miss {Guid.NewGuid():N} {Interlocked.Increment(ref nonce)}\n";
            try
            {
                await silo.SubmitAsync("aplusb", language, source); // compiled once: later identical sources hit
                var latencies = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
                var wall = new Dictionary<bool, double> { [true] = 0, [false] = 0 };
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var hit in (bool[])(round % 2 == 0 ? [false, true] : [true, false])) // interleaved
                    {
                        var queue = new Queue<string>(Enumerable.Range(0, count).Select(_ => hit ? source : Unique()));
                        var watch = Stopwatch.StartNew();
                        await Task.WhenAll(Enumerable.Range(0, slots).Select(async _ =>
                        {
                            while (true)
                            {
                                string next;
                                lock (queue)
                                {
                                    if (!queue.TryDequeue(out next!))
                                        return;
                                }
                                var one = Stopwatch.StartNew();
                                await silo.SubmitAsync("aplusb", language, next);
                                lock (latencies)
                                    latencies[hit].Add(one.Elapsed.TotalMilliseconds);
                            }
                        }));
                        wall[hit] += watch.Elapsed.TotalSeconds;
                    }
                }
                foreach (var hit in (bool[])[false, true])
                {
                    var row = $"| {language} | {(hit ? "hit" : "miss")} | {Measure.F(latencies[hit].Count / wall[hit] * 60)} | " +
                        $"{Measure.F(Measure.Median(latencies[hit]), "0")} | {Measure.F(Measure.Percentile(latencies[hit], 0.99), "0")} | {latencies[hit].Count} |";
                    rows.Add(row);
                    Console.WriteLine(row);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                rows.Add($"| {language} | failed: {e.Message.ReplaceLineEndings(" ")[..Math.Min(200, e.Message.Length)]} | | | | |");
                Console.WriteLine(rows[^1]);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; the embedded silo, default slots ({slots}), " +
            $"{slots} submissions in flight; A+B on the bundled aplusb problem; {count} submissions per variant and round, {rounds} rounds, " +
            $"variants interleaved; load average {loadBefore} at the start, {Measure.LoadAverage} at the end.");
        Console.WriteLine();
        Console.WriteLine("| language | compile cache | submissions/min | p50 ms | p99 ms | submissions |");
        Console.WriteLine("|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }
}
