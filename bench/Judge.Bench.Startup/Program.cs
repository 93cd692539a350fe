using System.Globalization;
using Judge.Engine.Compilation;
using Judge.Engine.Languages;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;

// Start-up benchmark (issue 14, goals 2 and 3), every program through the isolating sandbox, variants interleaved so
// machine noise hits them alike. Usage: [java runs per variant (default 30)] [compiles per variant (default 7)].
// C++: wall and CPU time of compiling A+B with <iostream>, with <bits/stdc++.h>, and with <bits/stdc++.h> and the
// precompiled header, and the front end alone (-fsyntax-only) of the first and the last. Java: CPU time (what the sandbox measured) of `java -version` and of a BufferedReader and a
// Scanner A+B, each with the same flags, as ratios against `java -version`.
var javaRuns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var compiles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var workRoot = Path.Combine(Path.GetTempPath(), "judge-bench-startup");
Directory.CreateDirectory(workRoot);
var io = Directory.CreateDirectory(Path.Combine(workRoot, "io")).FullName;
var input = Path.Combine(io, "input.txt");
File.WriteAllText(input, "2 3\n");

await using var sandbox = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = workRoot, Pool = 3 });

string Dir(string name)
{
    var path = Path.Combine(workRoot, name);
    if (Directory.Exists(path))
        Directory.Delete(path, recursive: true);
    return Directory.CreateDirectory(path).FullName;
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}

async Task<SandboxResult> Run(IReadOnlyList<string> argv, string dir, SandboxLimits limits, bool compile, string expect)
{
    var output = Path.Combine(io, "out.txt");
    File.Delete(output);
    var result = await sandbox.RunAsync(new SandboxRequest
    {
        Argv = argv, WorkingDirectory = dir, StdinPath = compile ? null : input, StdoutPath = output, MergeStderrIntoStdout = compile,
        PersistWorkingDirectory = compile, Limits = limits,
    });
    var text = File.ReadAllText(output);
    if (result.Status != SandboxStatus.Ok || !text.Contains(expect, StringComparison.Ordinal))
        throw new InvalidOperationException($"{string.Join(' ', argv)}: {result.Status} {result.Message} {text}");
    return result;
}

// ---- C++: the precompiled header ----
var cpp = new Cpp17 { Version = "g++ " + File.ReadAllText("/proc/version").Length }; // any version: the PCH's fingerprint only
var pch = new CppPrecompiledHeader(Dir("pch"));
var started = DateTime.UtcNow;
await pch.PrepareAsync(cpp, CancellationToken.None);
Console.WriteLine($"precompiled bits/stdc++.h built in {(DateTime.UtcNow - started).TotalSeconds:0.0} s ({new FileInfo(pch.ReadyFor(cpp)!).Length / (1024 * 1024)} MiB)");
// The split: -fsyntax-only stops after the front end (preprocessing, parsing, template instantiation), so the rest of a
// full compile is code generation at -O2, the assembler and the linker.
var sources = new (string Name, string Header, bool Pch, string[] Extra)[]
{
    ("<iostream>", "#include <iostream>\nusing namespace std;\n", false, []),
    ("<bits/stdc++.h>, no PCH", "#include <bits/stdc++.h>\nusing namespace std;\n", false, []),
    ("<bits/stdc++.h>, PCH", "#include <bits/stdc++.h>\nusing namespace std;\n", true, []),
    ("<iostream>, front end only (-fsyntax-only)", "#include <iostream>\nusing namespace std;\n", false, ["-fsyntax-only"]),
    ("<bits/stdc++.h>, PCH, front end only (-fsyntax-only)", "#include <bits/stdc++.h>\nusing namespace std;\n", true, ["-fsyntax-only"]),
};
var compileTimes = sources.Select(_ => (Wall: new List<double>(), Cpu: new List<double>())).ToArray();
for (var i = 0; i < compiles + 1; i++)
{
    for (var v = 0; v < sources.Length; v++)
    {
        var dir = Dir("cpp");
        File.WriteAllText(Path.Combine(dir, "main.cpp"), sources[v].Header + "int main(){long long a,b;cin>>a>>b;cout<<a+b<<\"\\n\";}\n");
        var layout = cpp.Layout("");
        var command = cpp.CompileCommand(layout).ToList();
        command.InsertRange(1, sources[v].Extra);
        if (sources[v].Pch)
            command.InsertRange(1, [.. pch.BeforeCompile(cpp, dir), "-Winvalid-pch", "-H"]);
        var result = await Run(command, dir, SandboxLimits.Compile, compile: true, expect: "");
        if (sources[v].Pch && !File.ReadAllText(Path.Combine(io, "out.txt")).Contains("! " + CppPrecompiledHeader.IncludeDirectory, StringComparison.Ordinal))
            throw new InvalidOperationException("the precompiled header was not used: " + File.ReadAllText(Path.Combine(io, "out.txt"))[..200]);
        if (i > 0) // the first round warms the page cache
        {
            compileTimes[v].Wall.Add(result.WallTime.TotalMilliseconds);
            compileTimes[v].Cpu.Add(result.CpuTime.TotalMilliseconds);
        }
    }
}
Console.WriteLine($"\n| C++17 A+B compile ({compiles} each) | wall median ms | CPU median ms | CPU vs <iostream> |\n|---|---|---|---|");
for (var v = 0; v < sources.Length; v++)
    Console.WriteLine($"| {sources[v].Name} | {Median(compileTimes[v].Wall):0} | {Median(compileTimes[v].Cpu):0} | {Median(compileTimes[v].Cpu) / Median(compileTimes[0].Cpu):0.00}x |");

// ---- Java: start-up ----
var java = new Java { Version = "bench" };
var cds = new JavaClassDataSharing(Dir("cds"));
started = DateTime.UtcNow;
await cds.PrepareAsync(java, CancellationToken.None);
Console.WriteLine($"\nclass-data-sharing archive built in {(DateTime.UtcNow - started).TotalSeconds:0.0} s ({new FileInfo(cds.ReadyFor(java)!).Length / (1024 * 1024)} MiB)");
var programs = Dir("java");
File.WriteAllText(Path.Combine(programs, "Reader.java"), """
    import java.io.*; import java.util.*;
    public class Reader { public static void main(String[] x) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in)); StringTokenizer st = new StringTokenizer(in.readLine());
        long a = Long.parseLong(st.nextToken()), b = Long.parseLong(st.nextToken()); PrintWriter out = new PrintWriter(System.out); out.println(a + b); out.flush(); } }
    """);
File.WriteAllText(Path.Combine(programs, "Scan.java"), """
    import java.util.*;
    public class Scan { public static void main(String[] x) { Scanner in = new Scanner(System.in); long a = in.nextLong(), b = in.nextLong(); System.out.println(a + b); } }
    """);
await Run(["/usr/bin/javac", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-d", ".", "Reader.java", "Scan.java"], programs, SandboxLimits.Compile, compile: true, expect: "");
var runLimits = java.RunLimits(new SandboxLimits { CpuTime = TimeSpan.FromSeconds(10), MemoryBytes = 256L * 1024 * 1024 });
var withCds = cds.BeforeRuns(java, programs) as Java ?? throw new InvalidOperationException("no archive");
IReadOnlyList<string> Command(Java language, string main, string[] extra)
{
    var argv = language.RunCommand(new SourceLayout(main + ".java", main), runLimits).ToList();
    argv.InsertRange(1, extra);
    if (main == "-version")
        argv.RemoveRange(argv.Count - 3, 3); // "-cp . <main>"
    return main == "-version" ? [.. argv, "-version"] : argv;
}
var variants = new (string Name, Java Language, string[] Extra)[]
{
    ("today's flags (JDK default archive)", java, []),
    ("+ JDK-classes archive", withCds, []),
    ("+ C1 only (TieredStopAtLevel=1)", java, ["-XX:TieredStopAtLevel=1"]),
    ("+ archive + C1 only", withCds, ["-XX:TieredStopAtLevel=1"]),
};
var javaTimes = variants.Select(_ => new[] { new List<double>(), new List<double>(), new List<double>() }).ToArray();
string[] mains = ["-version", "Reader", "Scan"];
for (var i = 0; i < javaRuns + 3; i++)
{
    for (var v = 0; v < variants.Length; v++)
    {
        for (var m = 0; m < mains.Length; m++)
        {
            var result = await Run(Command(variants[v].Language, mains[m], variants[v].Extra), programs, runLimits, compile: false, expect: m == 0 ? "" : "5");
            if (i >= 3)
                javaTimes[v][m].Add(result.CpuTime.TotalMilliseconds);
        }
    }
}
Console.WriteLine($"\n| Java run flags ({javaRuns} runs each, CPU ms median) | java -version | BufferedReader A+B | Scanner A+B | BufferedReader / version | Scanner / version |\n|---|---|---|---|---|---|");
for (var v = 0; v < variants.Length; v++)
{
    var (version, reader, scanner) = (Median(javaTimes[v][0]), Median(javaTimes[v][1]), Median(javaTimes[v][2]));
    Console.WriteLine($"| {variants[v].Name} | {version:0} | {reader:0} | {scanner:0} | {reader / version:0.00}x | {scanner / version:0.00}x |");
}
var baseline = Median(javaTimes[0][0]);
Console.WriteLine($"\nAgainst today's `java -version` ({baseline:0} ms):");
for (var v = 0; v < variants.Length; v++)
    Console.WriteLine($"| {variants[v].Name} | {Median(javaTimes[v][1]) / baseline:0.00}x | {Median(javaTimes[v][2]) / baseline:0.00}x |");
