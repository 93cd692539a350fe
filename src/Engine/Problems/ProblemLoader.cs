using System.Globalization;
using System.Text.RegularExpressions;
using Judge.Engine.Checkers;
using Judge.Engine.Languages;
using Judge.Engine.Problems.Store;
using Judge.Engine.Sandbox;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Judge.Engine.Problems;

/// <summary>Reads a Kattis/ICPC problem package directory.</summary>
public static partial class ProblemLoader
{
    /// <summary>The longest time limit a package may ask for, in seconds.</summary>
    public const double MaxTimeLimitSeconds = 3600;

    /// <summary>The largest per-problem time factor (<c>judge.time_factors</c>) a package may give a language.</summary>
    public const double MaxTimeFactor = 20;

    /// <summary>The largest memory or output limit a package may ask for, in MiB (1 TiB).</summary>
    public const long MaxMebibytes = 1L << 20;

    /// <summary>The most submission runs per test a multi-pass problem may ask for.</summary>
    public const int MaxValidationPasses = 100;

    private const string ProblemYaml = "problem.yaml";
    private const string TimeLimitFile = ".timelimit";
    private const string DomjudgeIni = "domjudge-problem.ini";
    private const string LegacyValidators = "output_validators";
    private const string ModernValidator = "output_validator";
    private static readonly string[] GroupFiles = ["testdata.yaml", "test_group.yaml"];
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

        /// <summary>problem.yaml's validator_flags when the default validator judges (group flags are checked against it).</summary>
        private string? defaultValidatorFlags;

        public Problem Read()
        {
            var yaml = ReadProblemYaml();
            var name = ReadName(yaml);
            var limitsNode = Child(yaml, "limits") switch
            {
                null => null,
                YamlMappingNode mapping => mapping,
                YamlScalarNode { Value: null or "" } => null,
                _ => throw Error(ProblemYaml, "limits must be a mapping"),
            };
            var limits = ReadLimits(limitsNode, IsLegacy(yaml));
            var flagsText = ReadValidatorFlagsText(yaml);
            var kind = ReadKind(yaml);
            var validator = ReadOutputValidator(kind);
            var validation = kind.Testlib ? ValidationMode.Testlib : validator is null ? ValidationMode.Default : ValidationMode.Custom;
            if (kind.Interactive)
            {
                if (kind.Testlib)
                    throw Error(ProblemYaml, "interactive problems need an interactor speaking the Kattis protocol (exit 42 accepted, 43 rejected), not validator_protocol: testlib");
                if (kind.MultiPass)
                    throw Error(ProblemYaml, $"{kind.InteractiveKey}: interactive multi-pass problems are not supported (interactive or multi-pass, not both)");
                validation = ValidationMode.Interactive;
            }
            else if (kind.MultiPass && validation != ValidationMode.Custom)
            {
                throw Error(ProblemYaml, "multi-pass problems need an output validator speaking the Kattis protocol, not validator_protocol: testlib");
            }

            var passes = ReadValidationPasses(limitsNode);
            var flags = validation == ValidationMode.Default ? ParseDefaultFlags(flagsText, ProblemYaml, "validator_flags") : ValidatorFlags.Default;
            defaultValidatorFlags = validation == ValidationMode.Default ? flagsText : null;
            var data = ReadTests(kind.Scoring);
            RejectSpecialFiles(); // last: the checks above name a link to such a file by the link's own name

            return new Problem
            {
                Id = id,
                Name = name,
                Directory = root,
                Limits = limits,
                ValidatorFlags = flags,
                ValidatorFlagsText = flagsText,
                Scoring = kind.Scoring,
                Validation = validation,
                OutputValidator = validation == ValidationMode.Default ? null : validator,
                MultiPass = kind.MultiPass,
                ValidationPasses = passes,
                IncludeDirectories = ReadIncludes(),
                TimeFactors = ReadTimeFactors(yaml),
                Data = data,
                Tests = data.AllTests().ToList(),
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

            var stream = LoadYaml(path, ProblemYaml, shortReason: true);

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

        /// <summary>Whether the package is in the legacy format: no <c>problem_format_version</c>, or <c>legacy</c>.</summary>
        private static bool IsLegacy(YamlMappingNode? yaml) =>
            Child(yaml, "problem_format_version") is not YamlScalarNode { Value: { Length: > 0 } version } || version == "legacy";

        private ProblemLimits ReadLimits(YamlMappingNode? limits, bool legacy)
        {
            var defaults = ProblemLimits.Default;
            var (explicitTime, source) = Child(limits, "time_limit") is { } timeNode
                ? (ParseSeconds(timeNode, ProblemYaml, "limits.time_limit"), "problem.yaml limits.time_limit")
                : ReadTimeLimitFile() is { } fileLimit
                    ? (fileLimit, TimeLimitFile)
                    : ReadDomjudgeIni() is { } iniLimit ? (iniLimit, $"{DomjudgeIni} timelimit") : ((TimeSpan?)null, "");
            var (multiplier, multipliers) = ReadTimeMultipliers(limits, legacy);

            // No limit stated: it is derived from the accepted submissions (TimeLimitDeriver), as the format says; until
            // then the problem cannot be judged (its TimeLimit is only a placeholder).
            var memory = Child(limits, "memory") is { } memoryNode ? ParseMebibytes(memoryNode, "limits.memory") : defaults.MemoryBytes;
            var output = Child(limits, "output") is { } outputNode ? ParseMebibytes(outputNode, "limits.output") : defaults.OutputBytes;
            return new ProblemLimits(explicitTime ?? defaults.TimeLimit, memory, output)
            {
                ValidationTime = Child(limits, "validation_time") is { } validationTime
                    ? ParseSeconds(validationTime, ProblemYaml, "limits.validation_time")
                    : defaults.ValidationTime,
                ValidationMemoryBytes = Child(limits, "validation_memory") is { } validationMemory
                    ? ParseMebibytes(validationMemory, "limits.validation_memory")
                    : defaults.ValidationMemoryBytes,
                ValidationOutputBytes = Child(limits, "validation_output") is { } validationOutput
                    ? ParseMebibytes(validationOutput, "limits.validation_output")
                    : defaults.ValidationOutputBytes,
                TimeMultiplier = multiplier,
                Multipliers = multipliers,
                DerivesTimeLimit = explicitTime is null,
                TimeLimitSource = explicitTime is null
                    ? $"to be derived from submissions/accepted ({multipliers.Key} {multipliers.AcToTimeLimit.ToString(CultureInfo.InvariantCulture)})"
                    : source,
            };
        }

        /// <summary>Legacy <c>time_multiplier: 5</c> and <c>time_safety_margin: 2</c>, or 2023-07
        /// <c>time_multipliers: {ac_to_time_limit: 2, time_limit_to_tle: 1.5}</c> and <c>time_resolution: 1</c>; the
        /// multiplier as written, and all of them with the format version's defaults applied.</summary>
        private (double? Written, TimeMultipliers Multipliers) ReadTimeMultipliers(YamlMappingNode? limits, bool legacy)
        {
            var multipliers = legacy ? TimeMultipliers.Legacy : TimeMultipliers.Modern;
            double? multiplier = null;
            if (Child(limits, "time_multiplier") is { } legacyMultiplier)
            {
                multiplier = ParsePositive(legacyMultiplier, "limits.time_multiplier");
                multipliers = multipliers with { AcToTimeLimit = multiplier.Value, Key = "limits.time_multiplier" };
            }

            if (Child(limits, "time_safety_margin") is { } margin)
            {
                multipliers = multipliers with { TimeLimitToTle = ParsePositive(margin, "limits.time_safety_margin") };
            }

            switch (Child(limits, "time_multipliers"))
            {
                case null:
                    break;
                case YamlMappingNode modern:
                    foreach (var (key, value) in modern.Children)
                    {
                        var keyText = (key as YamlScalarNode)?.Value;
                        if (keyText is not ("ac_to_time_limit" or "ac_to_timelimit" or "time_limit_to_tle" or "timelimit_to_tle"))
                        {
                            throw Error(ProblemYaml, $"limits.time_multipliers: unknown key '{keyText}' (expected ac_to_time_limit and time_limit_to_tle)");
                        }

                        var number = ParsePositive(value, $"limits.time_multipliers.{keyText}");
                        if (keyText.StartsWith("ac_", StringComparison.Ordinal))
                        {
                            multiplier = number;
                            multipliers = multipliers with { AcToTimeLimit = number, Key = $"limits.time_multipliers.{keyText}" };
                        }
                        else
                        {
                            multipliers = multipliers with { TimeLimitToTle = number };
                        }
                    }

                    break;
                default:
                    throw Error(ProblemYaml, "limits.time_multipliers must be a mapping");
            }

            if (Child(limits, "time_resolution") is { } resolution)
            {
                multipliers = multipliers with { Resolution = TimeSpan.FromSeconds(ParsePositive(resolution, "limits.time_resolution")) };
            }

            return (multiplier, multipliers);
        }

        private double ParsePositive(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value > 0 && double.IsFinite(value)
                ? value
                : throw Error(ProblemYaml, $"{what} must be a positive number");

        private int ReadValidationPasses(YamlMappingNode? limits)
        {
            if (Child(limits, "validation_passes") is not { } node)
            {
                return 2;
            }

            return node is YamlScalarNode { Value: { } text }
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var passes)
                && passes is >= 1 and <= MaxValidationPasses
                ? passes
                : throw Error(ProblemYaml, $"limits.validation_passes must be a whole number from 1 to {MaxValidationPasses}");
        }

        /// <summary>DOMjudge's <c>domjudge-problem.ini</c>: <c>timelimit = 2</c> (value optionally quoted); other keys are ignored.</summary>
        private TimeSpan? ReadDomjudgeIni()
        {
            var path = Path.Combine(root, DomjudgeIni);
            if (!CheckedExists(path, DomjudgeIni))
            {
                return null;
            }

            TimeSpan? limit = null;
            var number = 0;
            RequireRegular(path, DomjudgeIni);
            foreach (var raw in File.ReadAllLines(path))
            {
                number++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is ';' or '#' || (line[0] == '[' && line[^1] == ']'))
                {
                    continue;
                }

                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw Error(DomjudgeIni, $"line {number} is not 'key = value'");
                }

                var key = line[..equals].Trim();
                var value = line[(equals + 1)..].Trim();
                if (value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0])
                {
                    value = value[1..^1];
                }

                if (key == "timelimit")
                {
                    limit = ParseSeconds(new YamlScalarNode(value), DomjudgeIni, "timelimit");
                }
            }

            return limit;
        }

        private TimeSpan? ReadTimeLimitFile()
        {
            var path = Path.Combine(root, TimeLimitFile);
            if (!CheckedExists(path, TimeLimitFile))
                return null;
            RequireRegular(path, TimeLimitFile);
            return ParseSeconds(new YamlScalarNode(File.ReadAllText(path).Trim()), TimeLimitFile, "the time limit");
        }

        /// <summary>The extension key <c>judge.time_factors</c> of problem.yaml: a language id to the factor that replaces the
        /// language's own for this problem (Kattis tools warn about or ignore a key they do not know).</summary>
        private Dictionary<string, double> ReadTimeFactors(YamlMappingNode? yaml)
        {
            const string key = "judge.time_factors";
            var factors = new Dictionary<string, double>(StringComparer.Ordinal);
            var judge = Child(yaml, "judge") switch
            {
                null or YamlScalarNode { Value: null or "" } => null,
                YamlMappingNode mapping => mapping,
                _ => throw Error(ProblemYaml, "judge must be a mapping (this judge's extension keys, such as time_factors)"),
            };
            foreach (var name in judge?.Children.Keys ?? Enumerable.Empty<YamlNode>())
            {
                if ((name as YamlScalarNode)?.Value != "time_factors")
                    throw Error(ProblemYaml, $"judge.{(name as YamlScalarNode)?.Value}: unknown key (known: time_factors)");
            }
            switch (Child(judge, "time_factors"))
            {
                case null or YamlScalarNode { Value: null or "" }:
                    return factors;
                case YamlMappingNode mapping:
                    foreach (var (languageNode, valueNode) in mapping.Children)
                    {
                        var language = (languageNode as YamlScalarNode)?.Value ?? "";
                        if (LanguageCatalog.Find(language) is null)
                            throw Error(ProblemYaml, $"{key}: unknown language '{language}' (known: {string.Join(", ", LanguageCatalog.All.Select(l => l.Id))})");
                        if (valueNode is not YamlScalarNode { Value: { } text }
                            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
                            || !(factor > 0) || factor > MaxTimeFactor)
                        {
                            throw Error(ProblemYaml, $"{key}.{language} must be a positive number of at most {MaxTimeFactor} (times the time limit)");
                        }
                        factors[language] = factor;
                    }
                    return factors;
                default:
                    throw Error(ProblemYaml, $"{key} must be a mapping of language id to factor");
            }
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

        private string ReadValidatorFlagsText(YamlMappingNode? yaml) => Child(yaml, "validator_flags") switch
        {
            null => "",
            YamlScalarNode scalar => scalar.Value ?? "",
            _ => throw Error(ProblemYaml, "validator_flags must be a string"),
        };

        /// <summary>Flags for the default output validator; a flag it does not know is an error naming <paramref name="file"/>.</summary>
        private ValidatorFlags ParseDefaultFlags(string text, string file, string what)
        {
            if (text.Length == 0)
            {
                return ValidatorFlags.Default;
            }

            try
            {
                return ValidatorFlags.Parse(text);
            }
            catch (FormatException e)
            {
                throw Error(file, $"{what}: {e.Message}");
            }
        }

        /// <summary>What kind of problem this is: <c>type</c> (legacy <c>pass-fail</c>/<c>scoring</c>, 2023-07 also <c>multi-pass</c>,
        /// <c>interactive</c>, as a string or a list), legacy <c>validation</c> (<c>default</c>, or <c>custom</c> followed by
        /// <c>interactive</c>, <c>score</c>, <c>multi-pass</c>; or a mapping of those to booleans), and our <c>validator_protocol</c>.</summary>
        private ProblemKind ReadKind(YamlMappingNode? yaml)
        {
            var kind = new ProblemKind();
            var types = Child(yaml, "type") switch
            {
                null => [],
                YamlScalarNode scalar => (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                YamlSequenceNode sequence => sequence.Children.Select(item => item is YamlScalarNode { Value: { } value }
                    ? value
                    : throw Error(ProblemYaml, "type must be a string or a list of strings")).ToArray(),
                _ => throw Error(ProblemYaml, "type must be a string or a list of strings"),
            };
            foreach (var type in types)
            {
                switch (type)
                {
                    case "pass-fail":
                        break;
                    case "scoring":
                        kind.Scoring = true;
                        break;
                    case "multi-pass":
                        kind.MultiPass = true;
                        break;
                    case "interactive":
                        kind.Interactive = true;
                        kind.InteractiveKey = "type";
                        break;
                    case "submit-answer":
                        throw Error(ProblemYaml, "type: submit-answer problems are not supported");
                    default:
                        throw Error(ProblemYaml, $"type: unknown problem type '{type}' (expected pass-fail, scoring, multi-pass or interactive)");
                }
            }

            switch (Child(yaml, "validation"))
            {
                case null:
                    break;
                case YamlScalarNode scalar:
                    var words = (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length > 0 && words[0] is not ("default" or "custom"))
                    {
                        throw Error(ProblemYaml, $"validation must start with 'default' or 'custom', not '{words[0]}'");
                    }

                    if (words.Length > 1 && words[0] == "default")
                    {
                        throw Error(ProblemYaml, "validation: 'default' takes no options (options follow 'custom')");
                    }

                    kind.Custom |= words.Length > 0 && words[0] == "custom";
                    foreach (var word in words.Skip(1))
                    {
                        switch (word)
                        {
                            case "interactive":
                                kind.Interactive = true;
                                kind.InteractiveKey = "validation";
                                break;
                            case "multi-pass":
                                kind.MultiPass = true;
                                break;
                            case "score":
                                break;
                            default:
                                throw Error(ProblemYaml, $"validation: unknown option '{word}' (expected interactive, score or multi-pass)");
                        }
                    }

                    break;
                case YamlMappingNode mapping:
                    kind.Custom = true;
                    foreach (var (key, value) in mapping.Children)
                    {
                        var keyText = (key as YamlScalarNode)?.Value;
                        var flag = value is YamlScalarNode { Value: "true" or "false" } b
                            ? b.Value == "true"
                            : throw Error(ProblemYaml, $"validation.{keyText} must be true or false");
                        switch (keyText)
                        {
                            case "interaction" or "interactive":
                                kind.Interactive |= flag;
                                kind.InteractiveKey = "validation";
                                break;
                            case "multipass" or "multi-pass":
                                kind.MultiPass |= flag;
                                break;
                            case "scoring" or "score":
                                break;
                            default:
                                throw Error(ProblemYaml, $"validation: unknown key '{keyText}' (expected interaction, multipass or scoring)");
                        }
                    }

                    break;
                default:
                    throw Error(ProblemYaml, "validation must be a string or a mapping");
            }

            switch (Child(yaml, "validator_protocol"))
            {
                case null:
                case YamlScalarNode { Value: null or "" or "kattis" }:
                    break;
                case YamlScalarNode { Value: "testlib" }:
                    kind.Testlib = true;
                    break;
                default:
                    throw Error(ProblemYaml, "validator_protocol must be 'kattis' or 'testlib'");
            }

            kind.Custom |= kind.MultiPass || kind.Testlib || kind.Interactive;
            return kind;
        }

        private sealed class ProblemKind
        {
            public bool Scoring;
            public bool Custom;
            public bool MultiPass;
            public bool Interactive;
            public bool Testlib;
            public string InteractiveKey = "type";
        }

        /// <summary>The output validator: legacy <c>output_validators/</c> holding one program (a directory or a single source
        /// file), or 2023-07 <c>output_validator/</c> that is the program. Legacy packages use it only with custom validation.</summary>
        private OutputValidatorProgram? ReadOutputValidator(ProblemKind kind)
        {
            var legacyPath = Path.Combine(root, LegacyValidators);
            var modernPath = Path.Combine(root, ModernValidator);
            var legacy = CheckedExists(legacyPath, LegacyValidators + "/");
            var modern = CheckedExists(modernPath, ModernValidator + "/");
            if (legacy && modern)
            {
                throw Error(ModernValidator + "/", $"a package has either {ModernValidator}/ or {LegacyValidators}/, not both");
            }

            OutputValidatorProgram? program = null;
            if (modern)
            {
                if (!Directory.Exists(modernPath))
                {
                    throw Error(ModernValidator, "must be a directory");
                }

                var files = Directory.GetFiles(modernPath).Select(Path.GetFileName).ToList();
                var subdirectories = new DirectoryInfo(modernPath).EnumerateDirectories().Where(d => !d.Name.StartsWith('.')).ToList();
                if (!files.Any(f => IsSourceFile(f!) || f is "build" or "run") && subdirectories.Count == 1)
                {
                    // the program as a directory of its own inside output_validator/
                    var inner = subdirectories[0];
                    var relative = $"{ModernValidator}/{inner.Name}";
                    var real = CheckLink(inner, relative) ?? RealPath(inner.FullName);
                    program = ReadProgram(relative, real, Directory.GetFiles(real).Select(Path.GetFileName).ToList()!);
                }
                else
                {
                    program = ReadProgram(ModernValidator, RealPath(modernPath), files!);
                }

                kind.Custom = true;
            }
            else if (legacy)
            {
                if (!Directory.Exists(legacyPath))
                {
                    throw Error(LegacyValidators, "must be a directory");
                }

                var entries = new DirectoryInfo(legacyPath).EnumerateFileSystemInfos()
                    .Where(entry => !entry.Name.StartsWith('.'))
                    .OrderBy(entry => entry.Name, StringComparer.Ordinal)
                    .ToList();
                // Headers (testlib.h), templates and READMEs may sit next to the program: only directories and source files
                // are programs (each a program of its own, as the format says); a single source file is compiled with the
                // files next to it (its headers).
                var directories = entries.Where(entry => Directory.Exists(CheckLink(entry, $"{LegacyValidators}/{entry.Name}") ?? entry.FullName)).ToList();
                var sources = entries.Where(entry => !directories.Contains(entry) && IsSourceFile(entry.Name)).ToList();
                if (directories.Count == 1 && sources.Count == 0)
                {
                    var entry = directories[0];
                    var relative = $"{LegacyValidators}/{entry.Name}";
                    var real = CheckLink(entry, relative) ?? entry.FullName;
                    program = ReadProgram(relative, real, Directory.GetFiles(real).Select(Path.GetFileName).ToList()!);
                }
                else if (directories.Count == 0 && sources.Count == 1)
                {
                    program = ReadProgram($"{LegacyValidators}/{sources[0].Name}", RealPath(legacyPath), [sources[0].Name]);
                }
                else if (directories.Count + sources.Count == 0)
                {
                    throw Error(LegacyValidators + "/", "holds no program (a directory or a C, C++ or Python source file)");
                }
                else
                {
                    throw Error(LegacyValidators + "/", $"must hold exactly one program (a directory or a source file), not several: {string.Join(", ", entries.Where(e => directories.Contains(e) || sources.Contains(e)).Select(e => e.Name))}");
                }
            }

            if (kind.Custom && program is null)
            {
                var why = kind.Interactive ? $"{kind.InteractiveKey}: interactive problems need" : kind.MultiPass ? "multi-pass problems need" : kind.Testlib ? "validator_protocol: testlib needs" : "validation: custom needs";
                throw Error(ProblemYaml, $"{why} an output validator{(kind.Interactive ? " (the interactor)" : "")} ({LegacyValidators}/ or {ModernValidator}/), and the package has none");
            }

            return kind.Custom ? program : null;
        }

        private OutputValidatorProgram ReadProgram(string relative, string directory, IReadOnlyList<string> files)
        {
            foreach (var file in files)
            {
                CheckLink(new FileInfo(Path.Combine(directory, file)), $"{relative}/{file}");
            }

            if (files.Any(file => file is "build" or "run"))
            {
                throw Error(relative, "programs with build or run scripts are not supported; give C, C++ or Python sources");
            }

            var cpp = files.Where(f => Path.GetExtension(f) is ".cpp" or ".cc" or ".cxx" or ".C").Order(StringComparer.Ordinal).ToList();
            var c = files.Where(f => Path.GetExtension(f) == ".c").Order(StringComparer.Ordinal).ToList();
            var python = files.Where(f => Path.GetExtension(f) == ".py").Order(StringComparer.Ordinal).ToList();
            if (cpp.Count + c.Count + python.Count == 0)
            {
                throw Error(relative, "holds no C++ (.cpp, .cc), C (.c) or Python (.py) source");
            }

            // As problemtools detects a program's language: the language with the most source files, a tie going to the
            // language of higher priority (C++, then C, then Python). Other files (headers, READMEs) come along.
            var most = Math.Max(cpp.Count, Math.Max(c.Count, python.Count));
            if (cpp.Count == most)
            {
                return new OutputValidatorProgram(relative, directory, ProgramKind.Cpp, cpp);
            }

            if (c.Count == most)
            {
                return new OutputValidatorProgram(relative, directory, ProgramKind.C, c);
            }

            var main = python.Count == 1 ? python[0] : python.FirstOrDefault(f => f is "__main__.py" or "validator.py" or "main.py" or "checker.py");
            return main is null
                ? throw Error(relative, "has several Python files; name the one to run validator.py")
                : new OutputValidatorProgram(relative, directory, ProgramKind.Python, [main]);
        }

        private static bool IsSourceFile(string name) => Path.GetExtension(name) is ".cpp" or ".cc" or ".cxx" or ".C" or ".c" or ".py";

        /// <summary><c>include/&lt;language&gt;/</c> directories: their files are copied next to a submission in that language.</summary>
        private Dictionary<string, string> ReadIncludes()
        {
            var includes = new Dictionary<string, string>(StringComparer.Ordinal);
            var path = Path.Combine(root, "include");
            if (!CheckedExists(path, "include/"))
            {
                return includes;
            }

            if (!Directory.Exists(path))
            {
                throw Error("include", "must be a directory");
            }

            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
            {
                var relative = $"include/{entry.Name}";
                var real = CheckLink(entry, relative) ?? entry.FullName;
                if (!Directory.Exists(real))
                {
                    throw Error(relative, "must be a directory named after a language (include/default/, include/cpp/, include/python3/, ...)");
                }

                foreach (var file in new DirectoryInfo(real).EnumerateFileSystemInfos())
                {
                    var fileReal = CheckLink(file, $"{relative}/{file.Name}") ?? file.FullName;
                    if (!File.Exists(fileReal))
                    {
                        throw Error($"{relative}/{file.Name}", "must be a file (include directories are flat)");
                    }
                }

                includes[entry.Name] = real;
            }

            return includes;
        }

        private TestGroup ReadTests(bool scoring)
        {
            var data = Path.Combine(root, "data");
            var rootSettings = scoring ? GroupSettings.Default with { OnReject = OnReject.Continue } : GroupSettings.Default;
            var children = new List<TestGroupChild>();
            var requirements = new List<(string File, string Group)>();
            if (CheckedExists(data, "data/") && Directory.Exists(data))
            {
                rootSettings = ReadGroupSettings(data, "", rootSettings, requirements);
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

                    var real = RealPath(path);
                    var group = ReadGroup(path, real, part, rootSettings, [real], requirements);
                    if (scoring && part == "sample" && group.Settings.MaxScore is null)
                    {
                        group = group with { Settings = group.Settings with { MaxScore = 0 } };
                    }

                    children.Add(new TestGroupChild(null, group));
                }
            }

            var tree = new TestGroup("", rootSettings, children);
            if (!tree.AllTests().Any())
            {
                throw Error("data/", "no tests: expected data/sample/*.in or data/secret/**/*.in, each with a matching .ans");
            }

            var groups = tree.AllGroups().Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (file, group) in requirements)
            {
                if (!groups.Contains(group))
                {
                    throw Error(file, $"require_pass names '{group}', which is not a test group (a path under data/ like secret/group1)");
                }
            }

            return tree;
        }

        private TestGroup ReadGroup(string directory, string realDirectory, string group, GroupSettings inherited, HashSet<string> ancestors, List<(string, string)> requirements)
        {
            var settings = ReadGroupSettings(directory, group, inherited, requirements);
            var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var answers = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var subgroups = new List<TestGroupChild>();
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                var relative = $"data/{group}/{entry.Name}";
                var extension = Path.GetExtension(entry.Name);
                if (extension is ".in" or ".ans" && entry.LinkTarget is not null)
                {
                    // groups share test files through links: judge the file the link leads to, inside the package only
                    (extension == ".in" ? inputs : answers)[Path.GetFileNameWithoutExtension(entry.Name)] = LinkedTestFile(entry, relative);
                    continue;
                }

                if (entry is DirectoryInfo || (entry.LinkTarget is not null && Directory.Exists(entry.FullName)))
                {
                    var real = CheckLink(entry, relative) ?? Path.Combine(realDirectory, entry.Name);
                    if (!ancestors.Add(real))
                    {
                        throw Error(relative, "symbolic link loop");
                    }

                    subgroups.Add(new TestGroupChild(null, ReadGroup(entry.FullName, real, $"{group}/{entry.Name}", settings, ancestors, requirements)));
                    ancestors.Remove(real);
                    continue;
                }

                if (extension is ".in" or ".ans")
                {
                    (extension == ".in" ? inputs : answers)[Path.GetFileNameWithoutExtension(entry.Name)] = entry.FullName;
                }
            }

            var children = new List<(string Key, TestGroupChild Child)>();
            foreach (var (stem, input) in inputs)
            {
                if (!answers.Remove(stem, out var answer))
                {
                    throw Error($"data/{group}/{stem}.in", $"has no matching answer file {stem}.ans");
                }

                var test = new TestCase($"{group}/{stem}", group, input, answer) { ValidatorFlags = settings.ValidatorFlags };
                children.Add((stem, new TestGroupChild(test, null)));
            }

            if (answers.Count > 0)
            {
                var stem = answers.Keys.First();
                throw Error($"data/{group}/{stem}.ans", $"has no matching input file {stem}.in");
            }

            children.AddRange(subgroups.Select(child => (child.Group!.Name[(group.Length + 1)..], child)));
            children.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
            return new TestGroup(group, settings, children.Select(c => c.Child).ToList());
        }

        /// <summary>The settings of a group: what it inherits, overridden by its <c>testdata.yaml</c> or <c>test_group.yaml</c>.</summary>
        private GroupSettings ReadGroupSettings(string directory, string group, GroupSettings inherited, List<(string, string)> requirements)
        {
            var settings = inherited with { MaxScore = null, RequirePass = [] };
            var prefix = group.Length == 0 ? "data" : $"data/{group}";
            var found = GroupFiles.Where(name => CheckedExists(Path.Combine(directory, name), $"{prefix}/{name}")).ToList();
            if (found.Count == 0)
            {
                return settings;
            }

            var file = $"{prefix}/{found[0]}";
            if (found.Count > 1)
            {
                throw Error(file, $"a group has either {GroupFiles[0]} or {GroupFiles[1]}, not both");
            }

            var yaml = ReadYamlMapping(Path.Combine(directory, found[0]), file);
            if (yaml is null)
            {
                return settings;
            }

            foreach (var (keyNode, value) in yaml.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                switch (key)
                {
                    case "on_reject":
                        settings = settings with
                        {
                            OnReject = Scalar(value) switch
                            {
                                "break" => OnReject.Break,
                                "continue" => OnReject.Continue,
                                _ => throw Error(file, "on_reject must be 'break' or 'continue'"),
                            },
                        };
                        break;
                    case "score_aggregation" or "aggregation":
                        settings = settings with { Aggregation = ParseAggregation(value, file, key) };
                        break;
                    case "max_score":
                        settings = settings with { MaxScore = ParseScore(value, file, key) };
                        break;
                    case "accept_score":
                        settings = settings with { AcceptScore = ParseScore(value, file, key) };
                        break;
                    case "require_pass":
                        settings = settings with { RequirePass = ParseGroupList(value, file, requirements) };
                        break;
                    case "output_validator_flags":
                        settings = settings with { ValidatorFlags = $"{settings.ValidatorFlags} {Scalar(value) ?? throw Error(file, "output_validator_flags must be a string")}".Trim() };
                        if (defaultValidatorFlags is not null)
                        {
                            ParseDefaultFlags($"{defaultValidatorFlags} {settings.ValidatorFlags}", file, "output_validator_flags");
                        }

                        break;
                    case "grader_flags":
                        var words = (Scalar(value) ?? throw Error(file, "grader_flags must be a string")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        if (words.Contains("min"))
                        {
                            settings = settings with { Aggregation = ScoreAggregation.Min };
                        }
                        else if (words.Contains("sum"))
                        {
                            settings = settings with { Aggregation = ScoreAggregation.Sum };
                        }

                        break;
                    case "scoring":
                        if (value is not YamlMappingNode scoring)
                        {
                            throw Error(file, "scoring must be a mapping (score, aggregation, require_pass)");
                        }

                        foreach (var (innerKey, innerValue) in scoring.Children)
                        {
                            switch ((innerKey as YamlScalarNode)?.Value)
                            {
                                case "score":
                                    settings = settings with { MaxScore = Scalar(innerValue) == "unbounded" ? null : ParseScore(innerValue, file, "scoring.score") };
                                    break;
                                case "aggregation":
                                    settings = settings with { Aggregation = ParseAggregation(innerValue, file, "scoring.aggregation") };
                                    break;
                                case "require_pass":
                                    settings = settings with { RequirePass = ParseGroupList(innerValue, file, requirements) };
                                    break;
                                case var other:
                                    throw Error(file, $"scoring: unknown key '{other}' (expected score, aggregation, require_pass)");
                            }
                        }

                        break;
                }
            }

            return settings;
        }

        private static string? Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : null;

        private ScoreAggregation ParseAggregation(YamlNode value, string file, string key) => Scalar(value) switch
        {
            "sum" => ScoreAggregation.Sum,
            "min" => ScoreAggregation.Min,
            _ => throw Error(file, $"{key} must be 'sum' or 'min'"),
        };

        private double ParseScore(YamlNode value, string file, string key) =>
            Scalar(value) is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
            && score >= 0 && double.IsFinite(score)
                ? score
                : throw Error(file, $"{key} must be a number >= 0");

        private List<string> ParseGroupList(YamlNode value, string file, List<(string, string)> requirements)
        {
            var names = value switch
            {
                YamlScalarNode scalar => (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                YamlSequenceNode sequence => sequence.Children.Select(item => Scalar(item) ?? throw Error(file, "require_pass must be a group name or a list of them")).ToList(),
                _ => throw Error(file, "require_pass must be a group name or a list of them"),
            };
            names = names.Select(name => name.Trim('/')).ToList();
            requirements.AddRange(names.Select(name => (file, name)));
            return names;
        }

        /// <summary>Parses the YAML file at <paramref name="path"/>. Every way the parser can refuse text is a package error
        /// naming the file: YamlDotNet throws <see cref="YamlException"/> for most, but <see cref="InvalidOperationException"/>
        /// or <see cref="ArgumentException"/> for some malformed input (NUL characters in a plain scalar, found by fuzzing).</summary>
        private YamlStream LoadYaml(string path, string file, bool shortReason)
        {
            RequireRegular(path, file);
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
                if (shortReason && reason.StartsWith("(Line", StringComparison.Ordinal) && cut >= 0)
                {
                    reason = reason[(cut + 3)..];
                }

                throw Error(file, $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {reason}");
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                throw Error(file, $"invalid YAML: {e.Message}");
            }

            return stream;
        }

        private const string NotRegular = "is not a regular file (a FIFO, a socket or a device)";

        /// <summary>Refuses a FIFO, socket or device at a file the loader is about to read: opening a FIFO waits for ever.</summary>
        private void RequireRegular(string path, string file)
        {
            if (SandboxFiles.KindOf(path) == EntryKind.Special)
                throw Error(file, NotRegular);
        }

        /// <summary>Refuses FIFOs, sockets and devices where judging reads (<see cref="PackageFiles.IsJudged"/>, as the package
        /// stores do): opening one to read hangs (a FIFO) or reads what is not the package's (a device). Links are not followed
        /// here; the link checks keep them inside the package.</summary>
        private void RejectSpecialFiles()
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
                {
                    switch (SandboxFiles.KindOf(entry))
                    {
                        case EntryKind.Special when PackageFiles.IsJudged(Path.GetRelativePath(root, entry)):
                            throw Error(Path.GetRelativePath(root, entry), NotRegular);
                        case EntryKind.Directory:
                            pending.Push(entry);
                            break;
                    }
                }
            }
        }

        private YamlMappingNode? ReadYamlMapping(string path, string file)
        {
            var stream = LoadYaml(path, file, shortReason: false);

            return stream.Documents.Count == 0
                ? null
                : stream.Documents[0].RootNode switch
                {
                    YamlMappingNode mapping => mapping,
                    YamlScalarNode { Value: null or "" } => null,
                    _ => throw Error(file, "must be a YAML mapping of keys to values"),
                };
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

        /// <summary>The real path of a test file that is a symbolic link, after checking it leads, inside the package, to a
        /// regular file (not a directory, a FIFO or a device).</summary>
        private string LinkedTestFile(FileSystemInfo entry, string relative)
        {
            var real = CheckLink(entry, relative)!;
            if (Directory.Exists(real))
            {
                throw Error(relative, "is a symbolic link to a directory; a test file must be (or link to) a regular file");
            }

            if (!IsRegularFile(real))
            {
                throw Error(relative, "is a symbolic link to something that is not a regular file (a FIFO, a socket or a device)");
            }

            return real;
        }

        /// <summary>For a symbolic link, its real target after checking it stays inside the package and exists; otherwise null.</summary>
        private string? CheckLink(FileSystemInfo entry, string relative)
        {
            if (entry.LinkTarget is null)
            {
                return null;
            }

            string real;
            try
            {
                real = RealPath(entry.FullName);
            }
            catch (IOException)
            {
                throw Error(relative, "is a symbolic link in a loop (too many levels of symbolic links)");
            }

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

    /// <summary>Whether <paramref name="path"/>, whose links are resolved already, is a regular file (.NET tells devices,
    /// FIFOs and sockets apart from files nowhere).</summary>
    internal static bool IsRegularFile(string path) => Sandbox.SandboxFiles.KindOf(path) == Sandbox.EntryKind.Regular;

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
