using Judge.Fuzz;
using SharpFuzz;

// Judge.Fuzz TARGET            runs TARGET under afl-fuzz (SharpFuzz's in-process loop; without afl-fuzz, stdin once)
// Judge.Fuzz TARGET [-v] PATH... runs TARGET once on each file (or each file of each directory), for replaying findings
if (args.Length < 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Judge.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [input-file-or-dir...]");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.ToArray());
    });
    return 0;
}

var verbose = args[1] == "-v";
var failed = 0;
var files = args.Skip(verbose ? 2 : 1).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : new[] { p }.AsEnumerable()).ToList();
foreach (var file in files)
{
    try
    {
        target(File.ReadAllBytes(file));
        if (verbose && args[0] == "package")
            Console.WriteLine($"{file}: {PackageTarget.LastOutcome}");
    }
    catch (Exception e)
    {
        failed++;
        Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine(e.StackTrace);
    }
}
Console.WriteLine($"{args[0]}: {files.Count} inputs, {failed} failed");
return failed == 0 ? 0 : 1;
