using System.Globalization;
using System.Text.RegularExpressions;
using Judge.Engine.Checkers;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Judge.Engine.Problems;

/// <summary>Reads a Kattis/ICPC problem package directory.</summary>
public static partial class ProblemLoader
{
    /// <summary>The longest time limit a package may ask for, in seconds.</summary>
    public const double MaxTimeLimitSeconds = 3600;

    /// <summary>The largest memory or output limit a package may ask for, in MiB (1 TiB).</summary>
    public const long MaxMebibytes = 1L << 20;

    private const string ProblemYaml = "problem.yaml";
    private const string TimeLimitFile = ".timelimit";
    private const long MiB = 1024 * 1024;

    /// <summary>Loads and validates the package in <paramref name="directory"/>.</summary>
    /// <exception cref="ProblemFormatException">The package is malformed; the message names the problem and the file.</exception>
    public static Problem Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var id = Path.GetFileName(root);
        if (!IdPattern().IsMatch(id))
        {
            throw new ProblemFormatException(id, ".",
                "the directory name is not a valid problem id (1-64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit)");
        }

        if (!Directory.Exists(root))
        {
            throw new ProblemFormatException(id, ".", $"the package directory '{root}' does not exist");
        }

        try
        {
            return new Reader(id, root).Read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProblemFormatException(id, ".", $"the package could not be read: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    /// <summary>The state of loading one package.</summary>
    private sealed class Reader(string id, string root)
    {
        private readonly string realRoot = RealPath(root);

        public Problem Read()
        {
            var yaml = ReadProblemYaml();
            var name = ReadName(yaml);
            var limits = ReadLimits(yaml);
            var flags = ReadValidatorFlags(yaml);
            RejectUnsupported(yaml);
            return new Problem
            {
                Id = id,
                Name = name,
                Directory = root,
                Limits = limits,
                ValidatorFlags = flags,
                Tests = ReadTests(),
            };
        }

        private ProblemFormatException Error(string file, string reason) => new(id, file, reason);

        private YamlMappingNode? ReadProblemYaml()
        {
            var path = Path.Combine(root, ProblemYaml);
            if (!CheckedExists(path, ProblemYaml))
            {
                return null;
            }

            var stream = new YamlStream();
            try
            {
                using var text = File.OpenText(path);
                stream.Load(text);
            }
            catch (YamlException e)
            {
                var reason = (e.InnerException as YamlException ?? e).Message;
                var cut = reason.IndexOf("): ", StringComparison.Ordinal);
                if (reason.StartsWith("(Line", StringComparison.Ordinal) && cut >= 0)
                {
                    reason = reason[(cut + 3)..];
                }

                throw Error(ProblemYaml, $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {reason}");
            }

            return stream.Documents.Count switch
            {
                0 => null,
                1 => stream.Documents[0].RootNode switch
                {
                    YamlMappingNode mapping => mapping,
                    YamlScalarNode { Value: null or "" } => null,
                    _ => throw Error(ProblemYaml, "must be a YAML mapping of keys to values"),
                },
                _ => throw Error(ProblemYaml, "must hold one YAML document, not several"),
            };
        }

        private string ReadName(YamlMappingNode? yaml)
        {
            var name = Child(yaml, "name") switch
            {
                null => null,
                YamlScalarNode scalar => scalar.Value,
                YamlMappingNode byLanguage => (Child(byLanguage, "en") ?? byLanguage.Children.Values.FirstOrDefault()) as YamlScalarNode is { } scalar
                    ? scalar.Value
                    : throw Error(ProblemYaml, "name must be a string or a map of language to string"),
                _ => throw Error(ProblemYaml, "name must be a string or a map of language to string"),
            };
            return string.IsNullOrWhiteSpace(name) ? id : name.Trim();
        }

        private ProblemLimits ReadLimits(YamlMappingNode? yaml)
        {
            var limits = Child(yaml, "limits") switch
            {
                null => null,
                YamlMappingNode mapping => mapping,
                YamlScalarNode { Value: null or "" } => null,
                _ => throw Error(ProblemYaml, "limits must be a mapping"),
            };

            var defaults = ProblemLimits.Default;
            var time = Child(limits, "time_limit") is { } timeNode
                ? ParseSeconds(timeNode, ProblemYaml, "limits.time_limit")
                : ReadTimeLimitFile() ?? defaults.TimeLimit;
            var memory = Child(limits, "memory") is { } memoryNode ? ParseMebibytes(memoryNode, "limits.memory") : defaults.MemoryBytes;
            var output = Child(limits, "output") is { } outputNode ? ParseMebibytes(outputNode, "limits.output") : defaults.OutputBytes;
            return new ProblemLimits(time, memory, output);
        }

        private TimeSpan? ReadTimeLimitFile()
        {
            var path = Path.Combine(root, TimeLimitFile);
            return CheckedExists(path, TimeLimitFile)
                ? ParseSeconds(new YamlScalarNode(File.ReadAllText(path).Trim()), TimeLimitFile, "the time limit")
                : null;
        }

        private TimeSpan ParseSeconds(YamlNode node, string file, string what)
        {
            if (node is YamlScalarNode { Value: { } text }
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0
                && seconds <= MaxTimeLimitSeconds)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            throw Error(file, $"{what} must be a positive number of seconds (at most {MaxTimeLimitSeconds})");
        }

        private long ParseMebibytes(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } text }
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mebibytes)
                && mebibytes > 0
                && mebibytes <= MaxMebibytes)
            {
                return mebibytes * MiB;
            }

            throw Error(ProblemYaml, $"{what} must be a positive whole number of MiB (at most {MaxMebibytes})");
        }

        private ValidatorFlags ReadValidatorFlags(YamlMappingNode? yaml)
        {
            switch (Child(yaml, "validator_flags"))
            {
                case null:
                    return ValidatorFlags.Default;
                case YamlScalarNode scalar:
                    try
                    {
                        return ValidatorFlags.Parse(scalar.Value);
                    }
                    catch (FormatException e)
                    {
                        throw Error(ProblemYaml, $"validator_flags: {e.Message}");
                    }

                default:
                    throw Error(ProblemYaml, "validator_flags must be a string");
            }
        }

        /// <summary>Refuses packages that need a validator or grader this loader does not describe.</summary>
        private void RejectUnsupported(YamlMappingNode? yaml)
        {
            if (Child(yaml, "validation") is { } validation
                && (validation is not YamlScalarNode { Value: var mode } || (mode is not (null or "" or "default"))))
            {
                throw Error(ProblemYaml, "only 'validation: default' is supported (custom and interactive validation are not)");
            }

            var types = Child(yaml, "type") switch
            {
                YamlScalarNode scalar => (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(item => item.Value ?? "").ToArray(),
                _ => [],
            };
            if (types.Any(type => type is "interactive" or "multi-pass"))
            {
                throw Error(ProblemYaml, "interactive and multi-pass problems are not supported");
            }
        }

        private IReadOnlyList<TestCase> ReadTests()
        {
            var data = Path.Combine(root, "data");
            var tests = new List<TestCase>();
            if (CheckedExists(data, "data/") && Directory.Exists(data))
            {
                foreach (var part in new[] { "sample", "secret" })
                {
                    var path = Path.Combine(data, part);
                    if (!CheckedExists(path, $"data/{part}"))
                    {
                        continue;
                    }

                    if (!Directory.Exists(path))
                    {
                        throw Error($"data/{part}", "must be a directory");
                    }

                    var found = new List<TestCase>();
                    var real = RealPath(path);
                    CollectTests(path, real, part, found, [real]);
                    found.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
                    tests.AddRange(found);
                }
            }

            if (tests.Count == 0)
            {
                throw Error("data/", "no tests: expected data/sample/*.in or data/secret/**/*.in, each with a matching .ans");
            }

            return tests;
        }

        private void CollectTests(string directory, string realDirectory, string group, List<TestCase> tests, HashSet<string> ancestors)
        {
            var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var answers = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                var relative = $"data/{group}/{entry.Name}";
                if (entry is DirectoryInfo)
                {
                    var real = CheckLink(entry, relative) ?? Path.Combine(realDirectory, entry.Name);
                    if (!ancestors.Add(real))
                    {
                        throw Error(relative, "symbolic link loop");
                    }

                    CollectTests(entry.FullName, real, $"{group}/{entry.Name}", tests, ancestors);
                    ancestors.Remove(real);
                    continue;
                }

                var extension = Path.GetExtension(entry.Name);
                if (extension is ".in" or ".ans")
                {
                    CheckLink(entry, relative);
                    (extension == ".in" ? inputs : answers)[Path.GetFileNameWithoutExtension(entry.Name)] = entry.FullName;
                }
            }

            foreach (var (stem, input) in inputs)
            {
                if (!answers.Remove(stem, out var answer))
                {
                    throw Error($"data/{group}/{stem}.in", $"has no matching answer file {stem}.ans");
                }

                tests.Add(new TestCase($"{group}/{stem}", group, input, answer));
            }

            if (answers.Count > 0)
            {
                var stem = answers.Keys.First();
                throw Error($"data/{group}/{stem}.ans", $"has no matching input file {stem}.in");
            }
        }

        /// <summary>Whether a path exists (as anything, even a dangling link), after checking that a link there stays inside the package.</summary>
        private bool CheckedExists(string path, string relative)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null)
            {
                return info.Exists || Directory.Exists(path);
            }

            CheckLink(info, relative);
            return true;
        }

        /// <summary>For a symbolic link, its real target after checking it stays inside the package and exists; otherwise null.</summary>
        private string? CheckLink(FileSystemInfo entry, string relative)
        {
            if (entry.LinkTarget is null)
            {
                return null;
            }

            var real = RealPath(entry.FullName);
            if (!real.StartsWith(realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) && real != realRoot)
            {
                throw Error(relative, "is a symbolic link that leads outside the package");
            }

            if (!File.Exists(real) && !Directory.Exists(real))
            {
                throw Error(relative, "is a broken symbolic link");
            }

            return real;
        }

        private static YamlNode? Child(YamlMappingNode? mapping, string key) =>
            mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    /// <summary>The path with every symbolic link in it resolved, like POSIX <c>realpath</c> (the last parts need not exist).</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > 40)
            {
                throw new IOException($"too many levels of symbolic links in '{path}'");
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            foreach (var linked in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(linked);
            }
        }

        return current;
    }
}
