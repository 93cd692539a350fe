using Judge.Engine.Checkers;
using Judge.Engine.Problems;

namespace Judge.Engine.UnitTests.Problems;

public sealed class ProblemLoaderTests : IDisposable
{
    private readonly PackageBuilder packages = new();

    public void Dispose() => packages.Dispose();

    private ProblemFormatException AssertRejected(string package, string file)
    {
        var error = Assert.Throws<ProblemFormatException>(() => ProblemLoader.Load(packages.PathOf(package)));
        Assert.Equal(Path.GetFileName(package), error.Problem);
        Assert.Equal(file, error.File);
        Assert.StartsWith($"problem '{error.Problem}': {file}: ", error.Message);
        return error;
    }

    [Fact]
    public void Complete_package_is_loaded()
    {
        packages.Package("hello", """
            name: Hello World
            limits:
              time_limit: 2.5
              memory: 512
              output: 16
            validator_flags: float_tolerance 1e-4 case_sensitive
            """);
        packages.Test("hello", "secret/1", "in", "ans");

        var problem = ProblemLoader.Load(packages.PathOf("hello") + Path.DirectorySeparatorChar);

        Assert.Equal("hello", problem.Id);
        Assert.Equal("Hello World", problem.Name);
        Assert.Equal(packages.PathOf("hello"), problem.Directory);
        Assert.Equal(new ProblemLimits(TimeSpan.FromSeconds(2.5), 512L << 20, 16L << 20) { TimeLimitSource = "problem.yaml limits.time_limit", Multipliers = TimeMultipliers.Legacy }, problem.Limits);
        Assert.Equal(new ValidatorFlags { CaseSensitive = true, AbsoluteTolerance = 1e-4, RelativeTolerance = 1e-4 }, problem.ValidatorFlags);
        Assert.Equal(
            [
                new TestCase("sample/1", "sample", packages.PathOf("hello/data/sample/1.in"), packages.PathOf("hello/data/sample/1.ans")),
                new TestCase("secret/1", "secret", packages.PathOf("hello/data/secret/1.in"), packages.PathOf("hello/data/secret/1.ans")),
            ],
            problem.Tests);
    }

    [Fact]
    public void Package_without_problem_yaml_gets_the_defaults_and_a_time_limit_to_derive_with_the_legacy_multipliers()
    {
        var problem = ProblemLoader.Load(packages.Package("bare"));

        Assert.Equal("bare", problem.Name);
        Assert.Equal((2048L << 20, 8L << 20), (problem.Limits.MemoryBytes, problem.Limits.OutputBytes));
        Assert.True(problem.Limits.TimeLimitPending);
        Assert.Equal(TimeMultipliers.Legacy, problem.Limits.Multipliers);
        Assert.Equal((5.0, 2.0, TimeSpan.FromSeconds(1)), (TimeMultipliers.Legacy.AcToTimeLimit, TimeMultipliers.Legacy.TimeLimitToTle, TimeMultipliers.Legacy.Resolution));
        Assert.Null(problem.Limits.TimeMultiplier);
        Assert.Equal("to be derived from submissions/accepted (legacy default time_multiplier 5)", problem.Limits.TimeLimitSource);
        Assert.Same(ValidatorFlags.Default, problem.ValidatorFlags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("source: NWERC\nlimits:\n")]
    public void Empty_problem_yaml_gets_the_defaults(string yaml)
    {
        var problem = ProblemLoader.Load(packages.Package("empty", yaml));

        Assert.Equal("empty", problem.Name);
        Assert.Equal(ProblemLimits.Default with { DerivesTimeLimit = true, Multipliers = TimeMultipliers.Legacy, TimeLimitSource = problem.Limits.TimeLimitSource }, problem.Limits);
        Assert.True(problem.Limits.TimeLimitPending);
    }

    [Theory]
    [InlineData("name:\n  de: Hallo\n  en: Hello\n", "Hello")]
    [InlineData("name:\n  de: Hallo\n  fr: Bonjour\n", "Hallo")]
    [InlineData("name: '  Padded  '\n", "Padded")]
    [InlineData("name:\n", "named")]
    public void Name_may_be_a_map_of_languages(string yaml, string name)
    {
        Assert.Equal(name, ProblemLoader.Load(packages.Package("named", yaml)).Name);
    }

    [Fact]
    public void Samples_come_first_then_secret_tests_in_nested_group_order()
    {
        packages.Write("order/problem.yaml", "name: Order\n");
        foreach (var test in new[]
        {
            "secret/group2/01", "secret/b", "sample/2", "secret/group1/02", "secret/a",
            "secret/group1/01", "sample/10", "secret/group1/deeper/x/01", "sample/1",
        })
        {
            packages.Test("order", test);
        }

        var tests = ProblemLoader.Load(packages.PathOf("order")).Tests;

        Assert.Equal(
            ["sample/1", "sample/10", "sample/2", "secret/a", "secret/b", "secret/group1/01", "secret/group1/02",
             "secret/group1/deeper/x/01", "secret/group2/01"],
            tests.Select(test => test.Name));
        Assert.Equal(
            ["sample", "sample", "sample", "secret", "secret", "secret/group1", "secret/group1", "secret/group1/deeper/x", "secret/group2"],
            tests.Select(test => test.Group));
        Assert.All(tests, test => Assert.True(File.Exists(test.InputPath) && File.Exists(test.AnswerPath)));
    }

    [Fact]
    public void Package_with_only_secret_tests_is_loaded()
    {
        packages.Test("secretonly", "secret/1");

        Assert.Equal("secret/1", Assert.Single(ProblemLoader.Load(packages.PathOf("secretonly")).Tests).Name);
    }

    [Fact]
    public void Other_files_and_directories_are_ignored()
    {
        packages.Package("extras");
        packages.Write("extras/data/sample/1.desc", "a description");
        packages.Write("extras/data/sample/1.png", "");
        packages.Write("extras/data/sample/1.interaction", "");
        packages.Write("extras/data/secret/testdata.yaml", "");
        packages.Write("extras/data/invalid_input/bad.in", "");
        packages.Write("extras/data/loose.in", "");
        packages.Write("extras/submissions/accepted/a.py", "");

        Assert.Equal(["sample/1"], ProblemLoader.Load(packages.PathOf("extras")).Tests.Select(test => test.Name));
    }

    [Fact]
    public void Timelimit_file_sets_the_time_limit()
    {
        packages.Package("timed", "name: Timed\n");
        packages.Write("timed/.timelimit", " 3\n");

        Assert.Equal((TimeSpan.FromSeconds(3), ".timelimit", false), ProblemLoader.Load(packages.PathOf("timed")).Limits is var l ? (l.TimeLimit, l.TimeLimitSource, l.TimeLimitPending) : default);
    }

    [Fact]
    public void Problem_yaml_time_limit_wins_over_the_timelimit_file()
    {
        packages.Package("both", "limits:\n  time_limit: 0.5\n");
        packages.Write("both/.timelimit", "3");

        Assert.Equal(TimeSpan.FromSeconds(0.5), ProblemLoader.Load(packages.PathOf("both")).Limits.TimeLimit);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("")]
    public void Bad_timelimit_file_is_rejected(string text)
    {
        packages.Package("badtimelimit");
        packages.Write("badtimelimit/.timelimit", text);

        Assert.Contains("positive number of seconds", AssertRejected("badtimelimit", ".timelimit").Reason);
    }

    [Theory]
    [InlineData("limits:\n  time_limit: abc\n")]
    [InlineData("limits:\n  time_limit: 0\n")]
    [InlineData("limits:\n  time_limit: -2\n")]
    [InlineData("limits:\n  time_limit: 1e9\n")]
    [InlineData("limits:\n  time_limit: [1, 2]\n")]
    [InlineData("limits:\n  time_limit: {seconds: 1}\n")]
    [InlineData("limits:\n  time_limit: nan\n")]
    public void Bad_time_limit_is_rejected(string yaml)
    {
        packages.Package("badtime", yaml);

        Assert.StartsWith("limits.time_limit must be a positive number of seconds", AssertRejected("badtime", "problem.yaml").Reason);
    }

    [Theory]
    [InlineData("memory", "0")]
    [InlineData("memory", "-256")]
    [InlineData("memory", "1.5")]
    [InlineData("memory", "lots")]
    [InlineData("memory", "99999999999999999999")]
    [InlineData("output", "0")]
    [InlineData("output", "[8]")]
    public void Bad_memory_or_output_limit_is_rejected(string key, string value)
    {
        packages.Package("badmemory", $"limits:\n  {key}: {value}\n");

        Assert.StartsWith($"limits.{key} must be a positive whole number of MiB", AssertRejected("badmemory", "problem.yaml").Reason);
    }

    [Theory]
    [InlineData("limits: 5\n", "limits must be a mapping")]
    [InlineData("name: [a, b]\n", "name must be a string")]
    [InlineData("name:\n  en: [a]\n", "name must be a string")]
    [InlineData("validator_flags: [case_sensitive]\n", "validator_flags must be a string")]
    [InlineData("- just\n- a list\n", "must be a YAML mapping")]
    [InlineData("plain text\n", "must be a YAML mapping")]
    [InlineData("name: a\n---\nname: b\n", "one YAML document")]
    [InlineData("validation: custom\n", "validation")]
    [InlineData("validation: custom interactive\n", "validation")]
    [InlineData("type: interactive\n", "interactive")]
    [InlineData("type: [pass-fail, multi-pass]\n", "multi-pass")]
    public void Wrong_types_in_problem_yaml_are_rejected(string yaml, string reason)
    {
        packages.Package("wrongtypes", yaml);

        Assert.Contains(reason, AssertRejected("wrongtypes", "problem.yaml").Reason);
    }

    [Fact]
    public void A_problem_may_give_a_language_its_own_time_factor()
    {
        packages.Package("slowok", "name: Slow\njudge:\n  time_factors:\n    python3: 4\n    kotlin: 2.5\n");
        packages.Test("slowok", "secret/1", "in", "ans");

        var problem = ProblemLoader.Load(packages.PathOf("slowok"));

        Assert.Equal(4, problem.TimeFactorFor(new Judge.Engine.Languages.Python3()));
        Assert.Equal(2.5, problem.TimeFactorFor(new Judge.Engine.Languages.Kotlin()));
        Assert.Equal(new Judge.Engine.Languages.Cpp17().TimeFactor, problem.TimeFactorFor(new Judge.Engine.Languages.Cpp17()));
    }

    [Theory]
    [InlineData("judge:\n  time_factors:\n    cobol: 2\n", "judge.time_factors: unknown language 'cobol'")]
    [InlineData("judge:\n  time_factors:\n    python3: 0\n", "judge.time_factors.python3 must be a positive number")]
    [InlineData("judge:\n  time_factors:\n    python3: -1\n", "judge.time_factors.python3 must be a positive number")]
    [InlineData("judge:\n  time_factors:\n    python3: 1000\n", "judge.time_factors.python3 must be a positive number of at most 20")]
    [InlineData("judge:\n  time_factors:\n    python3: fast\n", "judge.time_factors.python3 must be a positive number")]
    [InlineData("judge:\n  time_factors:\n    python3: .nan\n", "judge.time_factors.python3 must be a positive number")]
    [InlineData("judge:\n  time_factors: [python3]\n", "judge.time_factors must be a mapping")]
    [InlineData("judge:\n  time_factor:\n    python3: 2\n", "judge.time_factor: unknown key")]
    [InlineData("judge: yes\n", "judge must be a mapping")]
    public void Malformed_time_factor_overrides_are_rejected_naming_the_key(string yaml, string reason)
    {
        packages.Package("badfactor", yaml);
        packages.Test("badfactor", "secret/1", "in", "ans");

        Assert.Contains(reason, AssertRejected("badfactor", "problem.yaml").Reason);
    }

    [Theory]
    [InlineData("name: [unclosed\n", 2)]
    [InlineData("name: ok\nlimits:\n  time_limit: 1\n   memory: 2\n", 4)]
    [InlineData("name: a\nname: b\n", 2)]
    [InlineData("name: 'unclosed\nlimits: 1\n", 1)]
    public void Invalid_yaml_is_rejected_with_its_line(string yaml, int line)
    {
        packages.Package("badyaml", yaml);

        var error = AssertRejected("badyaml", "problem.yaml");

        Assert.StartsWith($"invalid YAML at line {line}, column ", error.Reason);
        Assert.DoesNotContain("(Line", error.Reason);
    }

    [Theory]
    [InlineData("validator_flags: ignore_case\n", "ignore_case")]
    [InlineData("validator_flags: float_tolerance\n", "float_tolerance")]
    [InlineData("validator_flags: float_relative_tolerance -1\n", "float_relative_tolerance")]
    public void Bad_validator_flags_are_rejected_naming_the_flag(string yaml, string flag)
    {
        packages.Package("badflags", yaml);

        var error = AssertRejected("badflags", "problem.yaml");

        Assert.StartsWith("validator_flags: ", error.Reason);
        Assert.Contains(flag, error.Reason);
    }

    [Fact]
    public void Input_without_answer_is_rejected_naming_the_input()
    {
        packages.Package("noanswer");
        packages.Write("noanswer/data/secret/group1/05.in", "1");

        Assert.Contains("05.ans", AssertRejected("noanswer", "data/secret/group1/05.in").Reason);
    }

    [Fact]
    public void Answer_without_input_is_rejected_naming_the_answer()
    {
        packages.Package("orphan");
        packages.Write("orphan/data/sample/2.ans", "1");

        Assert.Contains("2.in", AssertRejected("orphan", "data/sample/2.ans").Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("data/readme.txt")]
    [InlineData("data/sample/readme.txt")]
    [InlineData("data/secret/group1/notes.md")]
    public void Package_without_tests_is_rejected_naming_data(string? onlyFile)
    {
        packages.Write("notests/problem.yaml", "name: No tests\n");
        if (onlyFile is not null)
        {
            packages.Write($"notests/{onlyFile}", "");
        }

        Assert.Contains("no tests", AssertRejected("notests", "data/").Reason);
    }

    [Theory]
    [InlineData("Hello")]
    [InlineData("-dash")]
    [InlineData("_under")]
    [InlineData("has space")]
    [InlineData("dots.in.name")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234")]
    public void Directory_name_that_is_not_a_valid_id_is_rejected(string name)
    {
        packages.Package(name);

        Assert.Contains("not a valid problem id", AssertRejected(name, ".").Reason);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("a_b-c")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Valid_ids_are_accepted(string name)
    {
        Assert.Equal(name, ProblemLoader.Load(packages.Package(name)).Id);
    }

    [Fact]
    public void Missing_package_directory_is_rejected() => AssertRejected("missing", ".");

    [Fact]
    public void Symbolic_link_to_a_file_outside_the_package_is_rejected()
    {
        packages.Package("leaky");
        var secret = packages.Write("outside/secret.txt", "do not read");
        packages.Write("leaky/data/secret/1.in", "1");
        File.CreateSymbolicLink(packages.PathOf("leaky/data/secret/1.ans"), secret);

        Assert.Contains("outside the package", AssertRejected("leaky", "data/secret/1.ans").Reason);
    }

    [Fact]
    public void Relative_symbolic_link_climbing_out_of_the_package_is_rejected()
    {
        packages.Package("climber");
        packages.Write("outside/1.in", "1");
        File.CreateSymbolicLink(packages.PathOf("climber/data/sample/9.in"), "../../../outside/1.in");
        packages.Write("climber/data/sample/9.ans", "1");

        AssertRejected("climber", "data/sample/9.in");
    }

    [Fact]
    public void Symbolic_link_to_a_directory_outside_the_package_is_rejected()
    {
        packages.Package("leakydir");
        packages.Test("outside", "tests/1");
        Directory.CreateSymbolicLink(packages.PathOf("leakydir/data/secret"), packages.PathOf("outside/data/tests"));

        AssertRejected("leakydir", "data/secret");
    }

    [Fact]
    public void Symbolic_link_for_problem_yaml_outside_the_package_is_rejected()
    {
        packages.Package("leakyyaml");
        var outside = packages.Write("outside.yaml", "name: Outside\n");
        File.CreateSymbolicLink(packages.PathOf("leakyyaml/problem.yaml"), outside);

        AssertRejected("leakyyaml", "problem.yaml");
    }

    [Fact]
    public void Symbolic_links_inside_the_package_are_followed()
    {
        packages.Package("linked");
        File.CreateSymbolicLink(packages.PathOf("linked/data/secret-1.in"), "sample/1.in");
        Directory.CreateDirectory(packages.PathOf("linked/data/secret"));
        File.CreateSymbolicLink(packages.PathOf("linked/data/secret/1.in"), "../sample/1.in");
        File.CreateSymbolicLink(packages.PathOf("linked/data/secret/1.ans"), packages.PathOf("linked/data/sample/1.ans"));
        Directory.CreateSymbolicLink(packages.PathOf("linked/data/secret/again"), "../sample");

        var tests = ProblemLoader.Load(packages.PathOf("linked")).Tests;

        Assert.Equal(["sample/1", "secret/1", "secret/again/1"], tests.Select(test => test.Name));
        Assert.Equal("secret/again", tests[2].Group);
    }

    [Fact]
    public void Package_reached_through_a_symbolic_link_is_loaded()
    {
        packages.Package("real");
        Directory.CreateSymbolicLink(packages.PathOf("alias"), packages.PathOf("real"));

        var problem = ProblemLoader.Load(packages.PathOf("alias"));

        Assert.Equal("alias", problem.Id);
        Assert.Single(problem.Tests);
    }

    [Fact]
    public void Symbolic_link_loop_is_rejected()
    {
        packages.Package("loop");
        Directory.CreateDirectory(packages.PathOf("loop/data/secret"));
        Directory.CreateSymbolicLink(packages.PathOf("loop/data/secret/again"), "..");

        Assert.Contains("loop", AssertRejected("loop", "data/secret/again/secret").Reason);
    }

    [Fact]
    public void Broken_symbolic_link_is_rejected()
    {
        packages.Package("broken");
        File.CreateSymbolicLink(packages.PathOf("broken/data/sample/2.in"), "nowhere.in");
        packages.Write("broken/data/sample/2.ans", "1");

        Assert.Contains("broken", AssertRejected("broken", "data/sample/2.in").Reason);
    }

    [Fact]
    public void Symbolic_link_that_leaves_and_comes_back_into_the_package_is_followed()
    {
        packages.Package("roundtrip");
        Directory.CreateSymbolicLink(packages.PathOf("hop"), "roundtrip/data");
        Directory.CreateSymbolicLink(packages.PathOf("roundtrip/data/secret"), "../../hop/./sample/../sample");

        var tests = ProblemLoader.Load(packages.PathOf("roundtrip")).Tests;

        Assert.Equal(["sample/1", "secret/1"], tests.Select(test => test.Name));
    }

    [Fact]
    public void Domjudge_ini_sets_the_time_limit_after_problem_yaml_and_timelimit()
    {
        packages.Package("ini");
        packages.Write("ini/domjudge-problem.ini", "probid='A'\ntimelimit = '2.5'\ncolor=red\n");
        Assert.Equal((TimeSpan.FromSeconds(2.5), "domjudge-problem.ini timelimit"), ProblemLoader.Load(packages.PathOf("ini")).Limits is var l ? (l.TimeLimit, l.TimeLimitSource) : default);

        packages.Write("ini/.timelimit", "3\n");
        Assert.Equal(TimeSpan.FromSeconds(3), ProblemLoader.Load(packages.PathOf("ini")).Limits.TimeLimit);
    }

    [Theory]
    [InlineData("timelimit = soon\n")]
    [InlineData("timelimit = 0\n")]
    [InlineData("just a line\n")]
    public void Bad_domjudge_ini_is_rejected(string text)
    {
        packages.Package("badini");
        packages.Write("badini/domjudge-problem.ini", text);

        AssertRejected("badini", "domjudge-problem.ini");
    }

    [Fact]
    public void Legacy_scoring_package_with_custom_validation_is_loaded()
    {
        packages.Package("legacy", """
            type: scoring
            validation: custom score
            validator_flags: tolerant
            limits:
              time_multiplier: 3
              validation_time: 10
              validation_memory: 512
            """);
        packages.Write("legacy/output_validators/check/check.cpp", "int main() { return 42; }");
        packages.Write("legacy/output_validators/check/testlib.h", "");
        packages.Write("legacy/.timelimit", "2");

        var problem = ProblemLoader.Load(packages.PathOf("legacy"));

        Assert.True(problem.Scoring);
        Assert.Equal(ValidationMode.Custom, problem.Validation);
        Assert.Equal("tolerant", problem.ValidatorFlagsText);
        var validator = problem.OutputValidator!;
        Assert.Equal("output_validators/check", validator.Name);
        Assert.Equal(packages.PathOf("legacy/output_validators/check"), validator.Directory);
        Assert.Equal(ProgramKind.Cpp, validator.Kind);
        Assert.Equal(["check.cpp"], validator.Sources);
        Assert.Equal(3, problem.Limits.TimeMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(2), problem.Limits.TimeLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), problem.Limits.ValidationTime);
        Assert.Equal(512L << 20, problem.Limits.ValidationMemoryBytes);
    }

    [Fact]
    public void Modern_package_with_an_output_validator_directory_is_custom()
    {
        packages.Package("modern", """
            problem_format_version: 2023-07-draft
            type: [pass-fail, multi-pass]
            limits:
              validation_passes: 3
              time_limit: 1.5
              time_multipliers:
                ac_to_time_limit: 2.5
                time_limit_to_tle: 1.5
            """);
        packages.Write("modern/output_validator/validator.py", "import sys\nsys.exit(42)\n");

        var problem = ProblemLoader.Load(packages.PathOf("modern"));

        Assert.Equal(ValidationMode.Custom, problem.Validation);
        Assert.True(problem.MultiPass);
        Assert.Equal(3, problem.ValidationPasses);
        Assert.Equal(2.5, problem.Limits.TimeMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(1.5), problem.Limits.TimeLimit);
        Assert.Equal(ProgramKind.Python, problem.OutputValidator!.Kind);
        Assert.Equal(["validator.py"], problem.OutputValidator.Sources);
    }

    [Fact]
    public void Legacy_output_validators_are_ignored_with_default_validation()
    {
        packages.Package("ignored", "validation: default\n");
        packages.Write("ignored/output_validators/check.py", "");

        var problem = ProblemLoader.Load(packages.PathOf("ignored"));

        Assert.Equal(ValidationMode.Default, problem.Validation);
        Assert.Null(problem.OutputValidator);
    }

    [Fact]
    public void Testlib_protocol_is_chosen_by_validator_protocol()
    {
        packages.Package("testlib", "validator_protocol: testlib\n");
        packages.Write("testlib/output_validators/checker.cpp", "int main() {}");

        var problem = ProblemLoader.Load(packages.PathOf("testlib"));

        Assert.Equal(ValidationMode.Testlib, problem.Validation);
        Assert.Equal(ProgramKind.Cpp, problem.OutputValidator!.Kind);
    }

    [Theory]
    [InlineData("type: interactive\n", "type: interactive problems need an output validator (the interactor)")]
    [InlineData("validation: custom interactive\n", "validation: interactive problems need an output validator (the interactor)")]
    [InlineData("validation:\n  interaction: true\n", "validation: interactive problems need an output validator (the interactor)")]
    [InlineData("type: submit-answer\n", "submit-answer")]
    [InlineData("type: golf\n", "unknown problem type 'golf'")]
    [InlineData("validation: fancy\n", "validation must start with 'default' or 'custom'")]
    [InlineData("validation: custom telepathic\n", "unknown option 'telepathic'")]
    [InlineData("validator_protocol: icpc\n", "validator_protocol must be 'kattis' or 'testlib'")]
    [InlineData("validator_protocol: testlib\n", "validator_protocol: testlib needs an output validator")]
    [InlineData("limits:\n  validation_passes: 0\n", "limits.validation_passes")]
    [InlineData("limits:\n  validation_time: -1\n", "limits.validation_time")]
    [InlineData("limits:\n  time_multiplier: zero\n", "limits.time_multiplier")]
    [InlineData("limits:\n  time_safety_margin: -2\n", "limits.time_safety_margin must be a positive number")]
    [InlineData("limits:\n  time_resolution: 0\n", "limits.time_resolution must be a positive number")]
    [InlineData("limits:\n  time_multipliers:\n    fast: 2\n", "unknown key 'fast'")]
    public void Unsupported_or_malformed_problem_kinds_are_rejected(string yaml, string reason)
    {
        packages.Package("kinds", yaml);

        Assert.Contains(reason, AssertRejected("kinds", "problem.yaml").Reason);
    }

    [Theory]
    [InlineData("limits:\n  time_multiplier: 4\n  time_safety_margin: 3\n", 4, 3, 1, "limits.time_multiplier 4")]
    [InlineData("limits:\n  time_multipliers:\n    ac_to_time_limit: 2.5\n", 2.5, 2, 1, "limits.time_multipliers.ac_to_time_limit 2.5")]
    [InlineData("problem_format_version: 2023-07-draft\nlimits:\n  time_resolution: 0.1\n", 2, 1.5, 0.1, "2023-07 default time_multipliers.ac_to_time_limit 2")]
    [InlineData("problem_format_version: 2023-07-draft\nlimits:\n  time_multipliers:\n    time_limit_to_tle: 3\n", 2, 3, 1, "2023-07 default time_multipliers.ac_to_time_limit 2")]
    public void Time_multiplier_without_an_explicit_time_limit_asks_for_a_derived_one(string yaml, double ac, double tle, double resolution, string key)
    {
        packages.Package("derived", yaml);

        var limits = ProblemLoader.Load(packages.PathOf("derived")).Limits;

        Assert.True(limits.TimeLimitPending);
        Assert.Equal((ac, tle, TimeSpan.FromSeconds(resolution)), (limits.Multipliers.AcToTimeLimit, limits.Multipliers.TimeLimitToTle, limits.Multipliers.Resolution));
        Assert.Equal($"to be derived from submissions/accepted ({key})", limits.TimeLimitSource);
    }

    [Theory]
    [InlineData(0.31, 2, 1, 1)]      // 0.62 s rounds up to 1 s
    [InlineData(0.3, 2, 0.1, 0.6)]   // exactly 0.6 s: not rounded to 0.7 by a floating-point hair
    [InlineData(0.61, 2, 0.5, 1.5)]  // 1.22 s rounds up to 1.5 s
    [InlineData(0.01, 5, 1, 1)]      // at least one step
    [InlineData(1.2, 5, 1, 6)]
    public void Derived_limit_is_the_slowest_run_times_the_multiplier_rounded_up_to_the_resolution(double slowest, double multiplier, double resolution, double limit) =>
        Assert.Equal(TimeSpan.FromSeconds(limit),
            new TimeMultipliers(multiplier, 1.5, TimeSpan.FromSeconds(resolution), "test").LimitFor(TimeSpan.FromSeconds(slowest)));

    [Fact]
    public void Derived_limit_description_says_where_it_came_from() =>
        Assert.Equal("derived: slowest accepted 0.31 s (submissions/accepted/a.cpp) x 2 = 0.62 s, rounded up to 1 s",
            new DerivedTimeLimit(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.31), "submissions/accepted/a.cpp", 2, TimeSpan.FromSeconds(1), []).Description);

    [Theory]
    [InlineData("limits:\n  time_limit: 3\n  time_multiplier: 5\n", null, 3)]
    [InlineData("limits:\n  time_multiplier: 5\n", ".timelimit", 4)]
    [InlineData("limits:\n  time_multipliers:\n    time_limit_to_tle: 1.5\n", "domjudge-problem.ini", 6)]
    public void Time_multiplier_with_an_explicit_time_limit_judges_with_that_limit(string yaml, string? file, int seconds)
    {
        packages.Package("explicit", yaml);
        if (file == ".timelimit")
            packages.Write("explicit/.timelimit", "4\n");
        if (file == "domjudge-problem.ini")
            packages.Write("explicit/domjudge-problem.ini", "timelimit='6'\n");

        var problem = ProblemLoader.Load(packages.PathOf("explicit"));

        Assert.Equal(TimeSpan.FromSeconds(seconds), problem.Limits.TimeLimit);
    }

    [Theory]
    [InlineData("legacy", "validation: custom interactive\n", "output_validators/interactor/interactor.py")]
    [InlineData("mapping", "validation:\n  interaction: true\n", "output_validators/interactor.cpp")]
    [InlineData("modern", "problem_format_version: 2023-07-draft\ntype: interactive\n", "output_validator/interactor.py")]
    public void Interactive_package_has_its_output_validator_as_interactor(string id, string yaml, string interactor)
    {
        packages.Package(id, yaml + "validator_flags: rounds 3\n");
        packages.Write($"{id}/{interactor}", interactor.EndsWith(".py", StringComparison.Ordinal) ? "import sys\nsys.exit(42)\n" : "int main() { return 42; }");

        var problem = ProblemLoader.Load(packages.PathOf(id));

        Assert.Equal(ValidationMode.Interactive, problem.Validation);
        Assert.False(problem.MultiPass);
        Assert.Equal("rounds 3", problem.ValidatorFlagsText);
        Assert.Equal(Path.GetFileName(interactor), Assert.Single(problem.OutputValidator!.Sources));
    }

    [Theory]
    [InlineData("type: interactive\nvalidator_protocol: testlib\n", "Kattis protocol")]
    [InlineData("type: [interactive, multi-pass]\n", "type: interactive multi-pass problems are not supported")]
    [InlineData("validation: custom interactive multi-pass\n", "validation: interactive multi-pass problems are not supported")]
    public void Interactive_package_with_a_testlib_interactor_or_several_passes_is_rejected(string yaml, string reason)
    {
        packages.Package("badinteractive", yaml);
        packages.Write("badinteractive/output_validators/interactor.cpp", "int main() { return 42; }");

        Assert.Contains(reason, AssertRejected("badinteractive", "problem.yaml").Reason);
    }

    [Fact]
    public void Multi_pass_with_a_testlib_checker_is_rejected()
    {
        packages.Package("mptl", "type: multi-pass\nvalidator_protocol: testlib\n");
        packages.Write("mptl/output_validators/checker.cpp", "int main() {}");

        Assert.Contains("Kattis protocol", AssertRejected("mptl", "problem.yaml").Reason);
    }

    [Theory]
    [InlineData("output_validators/a.cpp,output_validators/b.py", "output_validators/", "exactly one program")]
    [InlineData("output_validators/check/readme.txt", "output_validators/check", "no C++")]
    [InlineData("output_validators/README.md,output_validators/notes.txt", "output_validators/", "holds no program")]
    [InlineData("output_validators/check/x.py,output_validators/b.cpp", "output_validators/", "not several: b.cpp, check")]
    [InlineData("output_validators/check/a.py,output_validators/check/b.py", "output_validators/check", "several Python files")]
    [InlineData("output_validators/check/a.cpp,output_validators/check/build", "output_validators/check", "build or run scripts")]
    [InlineData("output_validator/a.cpp,output_validators/b.cpp", "output_validator/", "not both")]
    public void Malformed_output_validators_are_rejected_naming_the_file(string files, string file, string reason)
    {
        packages.Package("badvalidator", "validation: custom\n");
        foreach (var path in files.Split(','))
            packages.Write($"badvalidator/{path}", "");

        Assert.Contains(reason, AssertRejected("badvalidator", file).Reason);
    }

    [Theory]
    [InlineData("validation: custom\n", "output_validators/checker.cpp,output_validators/testlib.h,output_validators/README.md,output_validators/checker.cpp.template",
        "output_validators/checker.cpp", "output_validators", ProgramKind.Cpp, "checker.cpp")]
    [InlineData("validation: custom\n", "output_validators/check/check.cpp,output_validators/check/testlib.h,output_validators/README,output_validators/notes.md",
        "output_validators/check", "output_validators/check", ProgramKind.Cpp, "check.cpp")]
    [InlineData("type: multi-pass\n", "output_validator/val/validator.py,output_validator/val/util.py,output_validator/val/__main__.py",
        "output_validator/val", "output_validator/val", ProgramKind.Python, "__main__.py")]
    [InlineData("problem_format_version: 2023-07-draft\n", "output_validator/checker.cpp,output_validator/gen.py,output_validator/checker.h,output_validator/README.md",
        "output_validator", "output_validator", ProgramKind.Cpp, "checker.cpp")]
    [InlineData("problem_format_version: 2023-07-draft\n", "output_validator/a.py,output_validator/b.py,output_validator/main.c",
        "output_validator", "output_validator", ProgramKind.Python, "")]
    public void Validator_folders_holding_headers_readmes_or_a_program_directory_load_the_program_problemtools_would_pick(
        string yaml, string files, string name, string directory, ProgramKind kind, string source)
    {
        packages.Package("extras", yaml);
        foreach (var path in files.Split(','))
            packages.Write($"extras/{path}", "");
        if (source.Length == 0)
            packages.Write("extras/output_validator/validator.py", ""); // three Python files outnumber one C file

        var validator = ProblemLoader.Load(packages.PathOf("extras")).OutputValidator!;

        Assert.Equal(name, validator.Name);
        Assert.Equal(packages.PathOf($"extras/{directory}"), validator.Directory);
        Assert.Equal(kind, validator.Kind);
        Assert.Equal([source.Length == 0 ? "validator.py" : source], validator.Sources);
    }

    [Fact]
    public void Package_stating_no_memory_limit_gets_the_formats_2048_MiB()
    {
        Assert.Equal(2048L << 20, ProblemLoader.Load(packages.Package("nomemory", "limits:\n  time_limit: 2\n")).Limits.MemoryBytes);
        Assert.Equal(2048L << 20, ProblemLoader.Load(packages.Package("noyaml")).Limits.MemoryBytes);
    }

    [Fact]
    public void Test_files_linked_from_another_group_are_judged_from_the_file_they_lead_to()
    {
        packages.Package("shared");
        packages.Test("shared", "secret/g1/1", "7\n", "49\n");
        Directory.CreateDirectory(packages.PathOf("shared/data/secret/g2"));
        File.CreateSymbolicLink(packages.PathOf("shared/data/secret/g2/1.in"), "../g1/1.in");
        File.CreateSymbolicLink(packages.PathOf("shared/data/secret/g2/1.ans"), packages.PathOf("shared/data/secret/g1/1.ans"));
        // a link to a link: resolved to the end
        File.CreateSymbolicLink(packages.PathOf("shared/data/secret/g2/2.in"), "1.in");
        File.CreateSymbolicLink(packages.PathOf("shared/data/secret/g2/2.ans"), "1.ans");

        var tests = ProblemLoader.Load(packages.PathOf("shared")).Tests.ToDictionary(t => t.Name);

        foreach (var name in new[] { "secret/g2/1", "secret/g2/2" })
        {
            Assert.Equal(packages.PathOf("shared/data/secret/g1/1.in"), tests[name].InputPath);
            Assert.Equal(packages.PathOf("shared/data/secret/g1/1.ans"), tests[name].AnswerPath);
            Assert.Null(new FileInfo(tests[name].InputPath).LinkTarget);
        }
    }

    [Theory]
    [InlineData("outside", "is a symbolic link that leads outside the package")]
    [InlineData("dangling", "broken symbolic link")]
    [InlineData("directory", "symbolic link to a directory")]
    [InlineData("device", "not a regular file")]
    [InlineData("fifo", "not a regular file")]
    [InlineData("loop", "loop")]
    public void Test_file_linking_anywhere_but_a_regular_file_of_the_package_is_rejected_naming_it(string kind, string reason)
    {
        packages.Package("badlink");
        packages.Write("badlink/data/secret/1.ans", "1\n");
        var link = packages.PathOf("badlink/data/secret/1.in");
        switch (kind)
        {
            case "outside":
                File.CreateSymbolicLink(link, packages.Write("elsewhere/1.in", "1\n"));
                break;
            case "dangling":
                File.CreateSymbolicLink(link, "../sample/nothing.in");
                break;
            case "directory":
                File.CreateSymbolicLink(link, "../sample");
                break;
            case "device":
                File.CreateSymbolicLink(link, "../sample/null");
                Tool("mknod", packages.PathOf("badlink/data/sample/null"), "c", "1", "3"); // a copy of /dev/null (tests run as root)
                break;
            case "fifo":
                File.CreateSymbolicLink(link, "../sample/pipe");
                Tool("mkfifo", packages.PathOf("badlink/data/sample/pipe"));
                break;
            case "loop":
                File.CreateSymbolicLink(link, "2.in");
                File.CreateSymbolicLink(packages.PathOf("badlink/data/secret/2.in"), "1.in");
                break;
        }

        var error = Assert.Throws<ProblemFormatException>(() => ProblemLoader.Load(packages.PathOf("badlink")));
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith("data/secret/", error.File);
        Assert.EndsWith(".in", error.File);
    }

    private static void Tool(string name, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(name, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void Group_settings_are_inherited_down_the_tree()
    {
        packages.Package("groups", "type: scoring\n");
        packages.Write("groups/data/testdata.yaml", "on_reject: break\noutput_validator_flags: float_tolerance 1e-3\n");
        packages.Write("groups/data/secret/test_group.yaml", "score_aggregation: min\n");
        packages.Write("groups/data/secret/g1/testdata.yaml", "max_score: 30\noutput_validator_flags: case_sensitive\n");
        packages.Write("groups/data/secret/g2/testdata.yaml", "scoring:\n  score: 70\n  aggregation: sum\n  require_pass: secret/g1\non_reject: continue\n");
        packages.Test("groups", "secret/g1/1");
        packages.Test("groups", "secret/g2/1");

        var problem = ProblemLoader.Load(packages.PathOf("groups"));
        var groups = problem.Data.AllGroups().ToDictionary(g => g.Name);

        Assert.Equal(OnReject.Break, groups["secret"].Settings.OnReject);
        Assert.Equal(ScoreAggregation.Min, groups["secret/g1"].Settings.Aggregation);
        Assert.Equal(30, groups["secret/g1"].Settings.MaxScore);
        Assert.Null(groups["secret"].Settings.MaxScore);
        Assert.Equal(0, groups["sample"].Settings.MaxScore);
        Assert.Equal(ScoreAggregation.Sum, groups["secret/g2"].Settings.Aggregation);
        Assert.Equal(OnReject.Continue, groups["secret/g2"].Settings.OnReject);
        Assert.Equal(["secret/g1"], groups["secret/g2"].Settings.RequirePass);
        Assert.Equal("float_tolerance 1e-3 case_sensitive", problem.Tests.Single(t => t.Name == "secret/g1/1").ValidatorFlags);
        Assert.Equal("float_tolerance 1e-3", problem.Tests.Single(t => t.Name == "secret/g2/1").ValidatorFlags);
    }

    [Fact]
    public void Scoring_problems_judge_every_group_by_default()
    {
        packages.Package("scoringdefault", "type: scoring\n");

        Assert.Equal(OnReject.Continue, ProblemLoader.Load(packages.PathOf("scoringdefault")).Data.Settings.OnReject);
        packages.Package("passfaildefault");
        Assert.Equal(OnReject.Break, ProblemLoader.Load(packages.PathOf("passfaildefault")).Data.Settings.OnReject);
    }

    [Theory]
    [InlineData("data/secret/testdata.yaml", "on_reject: sometimes\n", "on_reject must be 'break' or 'continue'")]
    [InlineData("data/secret/testdata.yaml", "score_aggregation: max\n", "score_aggregation must be 'sum' or 'min'")]
    [InlineData("data/secret/testdata.yaml", "max_score: -3\n", "max_score must be a number >= 0")]
    [InlineData("data/secret/testdata.yaml", "require_pass: secret/nothere\n", "require_pass names 'secret/nothere'")]
    [InlineData("data/secret/testdata.yaml", "output_validator_flags: loud\n", "output_validator_flags")]
    [InlineData("data/testdata.yaml", "[1, 2]\n", "must be a YAML mapping")]
    [InlineData("data/secret/test_group.yaml", "on_reject: [break\n", "invalid YAML")]
    [InlineData("data/secret/test_group.yaml", "scoring: 5\n", "scoring must be a mapping")]
    public void Malformed_group_settings_are_rejected_naming_the_file(string file, string text, string reason)
    {
        packages.Package("badgroup");
        packages.Test("badgroup", "secret/1");
        packages.Write($"badgroup/{file}", text);

        Assert.Contains(reason, AssertRejected("badgroup", file).Reason);
    }

    [Fact]
    public void Group_with_both_settings_files_is_rejected()
    {
        packages.Package("both");
        packages.Write("both/data/sample/testdata.yaml", "");
        packages.Write("both/data/sample/test_group.yaml", "");

        Assert.Contains("not both", AssertRejected("both", "data/sample/testdata.yaml").Reason);
    }

    [Fact]
    public void Include_directories_are_listed_by_language()
    {
        packages.Package("inc");
        packages.Write("inc/include/default/helper.h", "");
        packages.Write("inc/include/python3/helper.py", "");

        var includes = ProblemLoader.Load(packages.PathOf("inc")).IncludeDirectories;

        Assert.Equal(packages.PathOf("inc/include/python3"), includes["python3"]);
        Assert.Equal(["default", "python3"], includes.Keys.Order());
    }

    [Theory]
    [InlineData("include/helper.h", "include/helper.h")]
    [InlineData("include/cpp/nested/x.h", "include/cpp/nested")]
    public void Malformed_include_directories_are_rejected(string path, string file)
    {
        packages.Package("badinc");
        packages.Write($"badinc/{path}", "");

        AssertRejected("badinc", file);
    }

    // Found by fuzzing (tests/fuzz, target "package"): YamlDotNet refuses some malformed text with InvalidOperationException
    // or ArgumentException instead of YamlException, which escaped the loader as an unexplained crash.
    [Theory]
    [InlineData("problem.yaml", "name: \n{am\n'== l d ")]
    [InlineData("problem.yaml", "name: \n \0\0\0: Dir\n")]
    [InlineData("data/sample/testdata.yaml", "name: \n{am\n'== l d ")]
    [InlineData("data/sample/testdata.yaml", "name: \n \0\0\0: Dir\n")]
    public void Yaml_the_parser_chokes_on_is_a_package_error_naming_the_file(string file, string yaml)
    {
        packages.Package("chokes");
        packages.Write($"chokes/{file}", yaml);

        var error = AssertRejected("chokes", file);

        Assert.StartsWith("invalid YAML", error.Reason);
    }

    // Found by fuzzing: a FIFO named problem.yaml, testdata.yaml or domjudge-problem.ini hung the loader for ever (opening
    // it waits for a writer), and a FIFO test file was accepted, to hang judging later. (The package stores already refuse
    // such files when they fetch a package; a directory loaded in place had no such check.)
    [Theory]
    [InlineData("problem.yaml")]
    [InlineData("domjudge-problem.ini")]
    [InlineData("data/sample/testdata.yaml")]
    [InlineData("data/sample/2.in")]
    public async Task Fifo_where_judging_reads_is_refused_without_hanging(string file)
    {
        packages.Package("piped");
        packages.Write("piped/data/sample/2.ans", "1\n");
        var path = packages.PathOf($"piped/{file}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var load = Task.Run(() => AssertRejected("piped", file));

        var error = await load.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException: the loader hung on the FIFO
        Assert.Contains("FIFO", error.Reason);
    }
}
