using System.Diagnostics;
using System.Globalization;
using Judge.Bench;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;
using Judge.Engine.Sandbox.Process;

// Sandbox overhead benchmark (issue "Sandbox"): the same program run bare (posix_spawn + waitpid) and through the
// sandboxes, interleaved in one run on this machine; reports median and p95 wall time per run and the overhead.
// `-- e2e [tests] [rounds] [--Judge:Key=value ...]`: the judge's per-test cost end to end against the bare loop instead (EndToEnd.cs).
if (args is ["e2e", .. var rest])
    return await EndToEnd.RunAsync(rest);
// Issue 14, goals 4 and 5 (docs/PERFORMANCE.md, "Throughput and how cost grows"): `-- throughput`, `-- languages`,
// `-- growth`, `-- cluster`; each mode's file says its arguments.
if (args is ["throughput", .. var throughputArgs])
    return await Throughput.RunAsync(throughputArgs);
if (args is ["languages", .. var languageArgs])
    return await Languages.RunAsync(languageArgs);
if (args is ["growth", .. var growthArgs])
    return await Growth.RunAsync(growthArgs);
if (args is ["cluster", .. var clusterArgs])
    return await ClusterThroughput.RunAsync(clusterArgs);
// Issue 14, goal 7 (docs/PERFORMANCE.md, "Fair timing"): `-- fairness [runs per block] [rounds] [sieve size]`.
if (args is ["fairness", .. var fairnessArgs])
    return await Fairness.RunAsync(fairnessArgs);
// Issue 14, goal 6 (docs/PERFORMANCE.md, "Fan-out of tests"): `-- spread [tests] [submissions] [rounds]`.
if (args is ["spread", .. var spreadArgs])
    return await ClusterFanOut.RunAsync(spreadArgs);
// Issue 14, goal 1 (docs/PERFORMANCE.md, "The default validator"): `-- validate [tokens] [rounds]`.
if (args is ["validate", .. var validateArgs])
    return await Validation.RunAsync(validateArgs);
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var pause = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0);
// The silo's default on this machine: 3 per judging slot + 1 (Judge:Sandbox:Pool), one judging slot per core.
var pool = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3 * Environment.ProcessorCount + 1;
var workRoot = Path.Combine(Path.GetTempPath(), "judge-bench");
Directory.CreateDirectory(workRoot);
var dir = Path.Combine(workRoot, "program");
Directory.CreateDirectory(dir);
var io = Path.Combine(workRoot, "io");
Directory.CreateDirectory(io);

File.WriteAllText(Path.Combine(dir, "aplusb.cpp"), "#include <cstdio>\nint main(){long long a,b;if(scanf(\"%lld %lld\",&a,&b)!=2)return 1;printf(\"%lld\\n\",a+b);}\n");
Exec("/usr/bin/g++", "-O2", "-static", "-o", Path.Combine(dir, "aplusb"), Path.Combine(dir, "aplusb.cpp"));
File.WriteAllText(Path.Combine(dir, "aplusb.py"), "a, b = map(int, input().split())\nprint(a + b)\n");
File.WriteAllText(Path.Combine(dir, "Main.java"), "public class Main { public static void main(String[] x) { java.util.Scanner s = new java.util.Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n");
Exec("/usr/bin/javac", "-d", dir, Path.Combine(dir, "Main.java"));
var input = Path.Combine(io, "input.txt");
File.WriteAllText(input, "1 2\n");

await using var linux = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = workRoot, Pool = pool, HelperPath = Environment.GetEnvironmentVariable("JUDGE_SANDBOX_HELPER") is { Length: > 0 } helper ? helper : null });
var process = new ProcessSandbox();
var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(5), MemoryBytes = 512L << 20, LimitAddressSpace = false, Processes = 128 };

var n = 0;
async Task<double> Sandboxed(ISandbox sandbox, params string[] argv)
{
    var output = Path.Combine(io, $"out-{n++}");
    var watch = Stopwatch.StartNew();
    var result = await sandbox.RunAsync(new SandboxRequest { Argv = argv, WorkingDirectory = dir, StdinPath = input, StdoutPath = output, Limits = limits });
    var elapsed = watch.Elapsed.TotalMilliseconds;
    if (result.Status != SandboxStatus.Ok || File.ReadAllText(output).Trim() != "3")
        throw new InvalidOperationException($"{argv[0]} in {sandbox.GetType().Name}: {result.Status} {result.Message}");
    File.Delete(output);
    return elapsed;
}

double Bare(string program, params string[] args)
{
    var watch = Stopwatch.StartNew();
    var status = BareSpawn.Run(program, args, input);
    var elapsed = watch.Elapsed.TotalMilliseconds;
    if (status != 0) throw new InvalidOperationException($"bare {program} exited with status {status}");
    return elapsed;
}

var rows = new List<(string Name, List<double> Bare, List<double> Sandboxed)>();
async Task Measure(string name, int count, ISandbox sandbox, string bareProgram, string[] bareArgs, string[] sandboxArgv)
{
    for (var i = 0; i < Math.Min(30, count); i++) { Bare(bareProgram, bareArgs); await Sandboxed(sandbox, sandboxArgv); } // warm-up
    var bare = new List<double>();
    var boxed = new List<double>();
    for (var i = 0; i < count; i++) // interleaved, so machine noise hits both alike
    {
        // Optional pause (second argument, ms): the sandbox prepares the next run after answering (cleanup, cgroup,
        // process); a pause lets that finish instead of competing with the measured runs, at the price of waking
        // idle CPUs, which costs a virtual machine noticeably.
        Thread.Sleep(pause);
        bare.Add(Bare(bareProgram, bareArgs));
        Thread.Sleep(pause);
        boxed.Add(await Sandboxed(sandbox, sandboxArgv));
    }
    rows.Add((name, bare, boxed));
}

var binary = Path.Combine(dir, "aplusb");
await Measure("static C++ A+B, isolating sandbox (judge-sandbox)", iterations, linux, binary, [], ["./aplusb"]);
await Measure("static C++ A+B, unsafe process sandbox (judge-exec)", Math.Min(iterations, 100), process, binary, [], [binary]);
await Measure("Python 3 A+B, isolating sandbox", Math.Max(10, iterations / 10), linux, "/usr/bin/python3", [Path.Combine(dir, "aplusb.py")], ["/usr/bin/python3", "-I", "-B", "aplusb.py"]);
await Measure("Java A+B, isolating sandbox", Math.Max(10, iterations / 20), linux, "/usr/bin/java", ["-XX:+UseSerialGC", "-Xshare:auto", "-cp", dir, "Main"], ["/usr/bin/java", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", ".", "Main"]);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = p * (sorted.Count - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; cgroup {linux.Cgroup}; pool {pool}; wall time per run as seen by the caller, ms; {pause.TotalMilliseconds:0} ms pause before each run.");
Console.WriteLine();
Console.WriteLine("| program | runs | bare median | bare p95 | sandboxed median | sandboxed p95 | overhead median | ratio median |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var (name, bare, boxed) in rows)
{
    double bm = Percentile(bare, 0.5), bp = Percentile(bare, 0.95), sm = Percentile(boxed, 0.5), sp = Percentile(boxed, 0.95);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {bare.Count} | {bm:0.000} | {bp:0.000} | {sm:0.000} | {sp:0.000} | {sm - bm:0.000} | {sm / bm:0.00}x |"));
}
return 0;

static void Exec(string program, params string[] args)
{
    var start = new ProcessStartInfo(program);
    foreach (var a in args) start.ArgumentList.Add(a);
    using var p = Process.Start(start)!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed with exit code {p.ExitCode}");
}
