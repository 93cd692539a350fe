using System.Collections.Concurrent;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.Compilation;

/// <summary>A class-data-sharing archive of the JDK classes contest programs load (Scanner and its regular expressions,
/// BufferedReader, StringTokenizer, PrintWriter, the collections, Math), built at silo start for the JVM the Java
/// language runs: the classes are then mapped ready-parsed instead of loaded and verified in every run. A run gets it as
/// <c>.judge-cds/java.jsa</c> in its working directory. The program computes the same; only start-up gets cheaper.</summary>
public sealed partial class JavaClassDataSharing(string directory, ILogger<JavaClassDataSharing>? logger = null) : ILanguageWarmup
{
    /// <summary>The archive's path relative to the run's working directory.</summary>
    public const string ArchivePath = ".judge-cds/java.jsa";

    private readonly ILogger logger = logger ?? NullLogger<JavaClassDataSharing>.Instance;
    private readonly ConcurrentDictionary<string, string> ready = new(StringComparer.Ordinal);

    /// <summary>Programs whose loaded classes make the archive: the ways contest programs read, write and compute.</summary>
    private static readonly (string Name, string Source, string Input)[] Training =
    [
        ("ScannerTraining", """
            import java.util.*;
            public class ScannerTraining {
                public static void main(String[] args) {
                    Scanner in = new Scanner(System.in);
                    int n = in.nextInt(); long s = in.nextLong(); double d = in.nextDouble(); String w = in.next();
                    in.nextLine(); String line = in.hasNextLine() ? in.nextLine() : "";
                    List<Integer> list = new ArrayList<>(); Map<String, Integer> map = new HashMap<>(); TreeMap<Integer, Long> tree = new TreeMap<>();
                    for (int i = 0; i < n; i++) { list.add(i); map.merge(w + i, 1, Integer::sum); tree.put(i, s + i); }
                    Collections.sort(list, Collections.reverseOrder()); int[] a = new int[n]; Arrays.sort(a); Arrays.fill(a, 1);
                    Deque<Integer> dq = new ArrayDeque<>(list); PriorityQueue<Long> pq = new PriorityQueue<>(); pq.add(s);
                    Set<Integer> set = new HashSet<>(list); TreeSet<Integer> ts = new TreeSet<>(list); LinkedList<Integer> ll = new LinkedList<>(list);
                    StringBuilder sb = new StringBuilder();
                    sb.append(Math.max(n, 1)).append(' ').append(Math.abs(d)).append(' ').append(Math.sqrt(d)).append(' ').append(Math.pow(2, n));
                    sb.append(' ').append(String.format("%.3f", d)).append(' ').append(Long.MAX_VALUE).append(' ').append(line.trim());
                    System.out.println(sb + " " + dq.size() + pq.size() + set.size() + ts.size() + ll.size() + tree.size() + map.size() + Arrays.toString(a).length());
                    System.out.printf("%d %s%n", n, w);
                }
            }
            """, "3 4 2.5 word\nthe rest of a line\n"),
        ("ReaderTraining", """
            import java.io.*;
            import java.math.BigInteger;
            import java.util.*;
            public class ReaderTraining {
                public static void main(String[] args) throws IOException {
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                    StringTokenizer st = new StringTokenizer(in.readLine());
                    long a = Long.parseLong(st.nextToken()), b = Long.parseLong(st.nextToken());
                    String[] parts = in.readLine().trim().split("\\s+"); int total = 0; for (String p : parts) total += Integer.parseInt(p);
                    StreamTokenizer tok = new StreamTokenizer(new StringReader("1 2")); tok.nextToken();
                    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
                    BigInteger big = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
                    out.println(a + b + total + (long) tok.nval + " " + big + " " + Double.parseDouble("1.5"));
                    out.flush();
                }
            }
            """, "2 3\n1 2 3\n"),
    ];

    public bool AppliesTo(Language language) => language is Java;

    /// <summary>The archive ready for <paramref name="language"/>, if any.</summary>
    public string? ReadyFor(Language language) => ready.TryGetValue(Fingerprint((Java)language), out var path) ? path : null;

    private static string Fingerprint(Java java) => WarmupFiles.Fingerprint([java.Compiler, java.Runtime, java.Version ?? ""]);

    /// <summary>The JVM options the archive is dumped and used with (the archive records the GC and heap layout).</summary>
    private static readonly string[] DumpOptions = ["-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx256m"];

    public async Task PrepareAsync(Language language, CancellationToken cancellationToken)
    {
        var java = (Java)language;
        var fingerprint = Fingerprint(java);
        var target = Path.Combine(directory, fingerprint, "java.jsa");
        if (!File.Exists(target))
        {
            var work = Path.Combine(directory, fingerprint, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            try
            {
                var classes = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var (name, source, input) in Training)
                {
                    await File.WriteAllTextAsync(Path.Combine(work, name + ".java"), source, cancellationToken);
                    await File.WriteAllTextAsync(Path.Combine(work, name + ".in"), input, cancellationToken);
                    await WarmupFiles.RunAsync([java.Compiler, "-encoding", "UTF-8", "-d", ".", name + ".java"], work, language.Environment, cancellationToken);
                    await WarmupFiles.RunAsync(["/bin/sh", "-c", $"exec \"$0\" \"$@\" < {name}.in > /dev/null", java.Runtime, .. DumpOptions,
                        "-Xshare:off", $"-XX:DumpLoadedClassList={name}.classes", "-cp", ".", name], work, language.Environment, cancellationToken);
                    // Only the JDK's classes: a program's own classes differ from run to run.
                    foreach (var line in await File.ReadAllLinesAsync(Path.Combine(work, name + ".classes"), cancellationToken))
                    {
                        if (line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("ScannerTraining", StringComparison.Ordinal) && !line.StartsWith("ReaderTraining", StringComparison.Ordinal))
                            classes.Add(line);
                    }
                }
                await File.WriteAllLinesAsync(Path.Combine(work, "jdk.classes"), classes, cancellationToken);
                await WarmupFiles.RunAsync([java.Runtime, .. DumpOptions, "-Xshare:dump", "-XX:SharedClassListFile=jdk.classes",
                    "-XX:SharedArchiveFile=java.jsa"], work, language.Environment, cancellationToken);
                WarmupFiles.Publish(Path.Combine(work, "java.jsa"), target);
            }
            finally
            {
                Workspace.DeleteTree(work);
            }
        }
        ready[fingerprint] = target;
        LogReady(logger, target);
    }

    public IReadOnlyList<string> BeforeCompile(Language language, string sourceDirectory) => [];

    public void AfterCompile(string sourceDirectory)
    {
    }

    public Language BeforeRuns(Language language, string sourceDirectory) =>
        ReadyFor(language) is { } archive && WarmupFiles.TryLink(archive, sourceDirectory, ArchivePath)
            ? (Java)language with { SharedArchiveFile = ArchivePath }
            : language;

    [LoggerMessage(Level = LogLevel.Information, Message = "Java class-data-sharing archive ready: {Path}")]
    private static partial void LogReady(ILogger logger, string path);
}
