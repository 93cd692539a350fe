using System.Text.RegularExpressions;
using Judge.Engine.Languages;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>deploy/ec2/user-data and the environment templates: shellcheck-clean scripts, templates that name only
/// settings the code reads, pools that install exactly their languages' toolchains, and a rendering that systemd
/// reads back as written.</summary>
public partial class Ec2BootstrapTests
{
    /// <summary>The contract's pools (briefs: contract.md): the Debian packages and the languages they give.</summary>
    private static readonly Dictionary<string, (string[] Packages, string[] Languages)> Contract = new()
    {
        ["cpp"] = (["gcc", "g++"], ["cpp17", "cpp20", "c11"]),
        ["jvm"] = (["default-jdk-headless", "kotlin"], ["java", "kotlin"]),
        ["python"] = (["python3", "pypy3"], ["python3", "pypy3"]),
        ["rust-go"] = (["rustc", "golang-go"], ["rust", "go", "c11"]),
        ["node"] = (["nodejs"], ["javascript"]),
        // every language of a Debian package: csharp needs the .NET SDK, which the EC2 hosts do not get
        ["all"] = (["gcc", "g++", "default-jdk-headless", "kotlin", "python3", "pypy3", "rustc", "golang-go", "nodejs"],
            ["cpp17", "cpp20", "c11", "java", "kotlin", "python3", "pypy3", "rust", "go", "javascript"]),
    };

    /// <summary>Settings that are not Judge's own but the framework's, each read by ASP.NET Core or the .NET host.</summary>
    private static readonly string[] FrameworkKeys = ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    [Fact]
    public void Every_script_passes_shellcheck()
    {
        var scripts = Directory.EnumerateFiles(Path.Combine(Repository.Root, "deploy"), "*.sh", SearchOption.AllDirectories).Order().ToList();
        Assert.Contains(scripts, s => s.EndsWith("user-data/common.sh", StringComparison.Ordinal));
        var result = Tool.Run("shellcheck", ["-x", .. scripts], package: "shellcheck");
        Assert.True(result.ExitCode == 0, $"shellcheck found problems:\n{result.All}");
    }

    [Theory]
    [InlineData("judge.env.example")]
    [InlineData("judge-ingress.env.example")]
    public void Every_key_of_the_environment_template_is_a_setting_the_code_reads(string template)
    {
        var code = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var key in Ec2Bootstrap.Template(template).Keys)
        {
            if (FrameworkKeys.Contains(key))
                continue;
            var path = key.Split("__");
            var index = System.Array.FindIndex(path, p => p.All(char.IsAsciiDigit));
            if (index < 0)
            {
                // e.g. Judge__Silo__AdvertisedIp: the key as the code (or its validator's message) spells it
                Assert.True(code.Contains(string.Join(':', path), StringComparison.Ordinal), $"{template}: {key} ({string.Join(':', path)}) is not read anywhere in src");
            }
            else
            {
                // e.g. Judge__Auth__Keys__0__KeySha256: the list's section and the item's field
                var section = string.Join(':', path[..index]);
                Assert.True(code.Contains(section, StringComparison.Ordinal), $"{template}: {key}: {section} is not read anywhere in src");
                Assert.True(code.Contains($"\"{path[^1]}\"", StringComparison.Ordinal), $"{template}: {key}: field {path[^1]} is not read anywhere in src");
            }
        }
    }

    [Fact]
    public void Silo_template_points_the_silo_at_the_daemon_and_the_contract_ports()
    {
        var silo = Ec2Bootstrap.Template("judge.env.example");
        Assert.Equal("/run/judge/sandbox.sock", silo["Judge__Sandbox__Socket"]);
        Assert.Equal("/var/lib/judge/work", silo["Judge__WorkRoot"]);
        Assert.Equal("11111", silo["Judge__Silo__Port"]);
        Assert.Equal("30000", silo["Judge__Silo__GatewayPort"]);
        Assert.Equal("http://0.0.0.0:8080", silo["ASPNETCORE_URLS"]);
        Assert.Equal("@PRIVATE_IP@", silo["Judge__Silo__AdvertisedIp"]);
        Assert.Equal("@TOOLCHAINS@", silo["Judge__Toolchains"]);
        Assert.Equal("@CONNECTION_STRING@", silo["ConnectionStrings__Judge"]);
        Assert.Equal("http://0.0.0.0:8081", Ec2Bootstrap.Template("judge-ingress.env.example")["Judge__Http__Urls"]);
    }

    [Theory]
    [InlineData("cpp")]
    [InlineData("jvm")]
    [InlineData("python")]
    [InlineData("rust-go")]
    [InlineData("node")]
    [InlineData("all")]
    public void Every_pool_installs_exactly_the_packages_of_its_languages(string pool)
    {
        var packages = Ec2Bootstrap.Array(pool, "JUDGE_TOOLCHAIN_PACKAGES");
        var languages = Ec2Bootstrap.Variable(pool, "JUDGE_TOOLCHAINS").Split(',');
        Assert.Equal(Contract[pool].Packages.Order(), packages.Order());
        Assert.Equal(Contract[pool].Languages.Order(), languages.Order());

        // Each language's toolchain programs (version command, compiler, runtime) come from one of the pool's packages
        // or their dependencies (as installed on this machine by scripts/setup.sh), and each package gives one of them.
        var provided = packages.ToDictionary(p => p, p => Closure(p, depth: 3));
        var used = new HashSet<string>();
        foreach (var id in languages)
        {
            var language = LanguageCatalog.Find(id) ?? throw new InvalidOperationException($"{pool}: {id} is not a language of the catalog");
            foreach (var program in Programs(language))
            {
                var owner = Owner(program);
                var givers = provided.Where(p => p.Value.Contains(owner)).Select(p => p.Key).ToList();
                Assert.True(givers.Count > 0, $"{pool}: {id} needs {program} (package {owner}), which none of {string.Join(' ', packages)} brings");
                used.UnionWith(givers);
            }
        }
        Assert.Equal(packages.Order(), used.Order());
    }

    [Fact]
    public void Ingress_user_data_installs_no_toolchain()
    {
        Assert.Equal("ingress", Ec2Bootstrap.Variable("ingress", "JUDGE_ROLE"));
        Assert.DoesNotContain("JUDGE_TOOLCHAIN_PACKAGES", File.ReadAllText(Ec2Files.Path("user-data/ingress.sh")));
    }

    [Fact]
    public void Every_user_data_file_runs_the_same_bootstrap()
    {
        const string marker = "# ---- bootstrap:";
        var tails = Ec2Files.UserData.ToDictionary(u => u, u =>
        {
            var text = File.ReadAllText(Ec2Files.Path($"user-data/{u}.sh"));
            Assert.Contains(marker, text);
            return text[text.IndexOf(marker, StringComparison.Ordinal)..];
        });
        Assert.All(tails, t => Assert.Equal(tails["cpp"], t.Value));
        Assert.EndsWith("judge_main\n", tails["cpp"]);
    }

    [Fact]
    public void Daemon_read_only_paths_are_the_silos_defaults()
    {
        Assert.Equal(LinuxSandboxOptions.DefaultReadOnlyPaths, Ec2Bootstrap.Array("common", "JUDGE_READ_ONLY_PATHS"));
        using var directory = new TempDirectory();
        var env = Path.Combine(directory.Path, "sandbox.env");
        var result = Ec2Bootstrap.RunCommon($"judge_sandbox_env '{env}'", new Dictionary<string, string> { ["SLOTS"] = "2" });
        Assert.True(result.ExitCode == 0, result.All);
        var lines = File.ReadAllLines(env).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        Assert.Equal("7", lines["JUDGE_SANDBOX_POOL"]);
        var binds = lines["JUDGE_SANDBOX_RO_BINDS"].Split(' ');
        var existing = LinuxSandboxOptions.DefaultReadOnlyPaths.Where(p => File.Exists(p) || Directory.Exists(p));
        Assert.Equal(existing.SelectMany(p => new[] { "--ro-bind", p }), binds);
    }

    [Fact]
    public void Rendered_environment_reads_back_exactly_as_systemd_and_bash_read_it()
    {
        using var directory = new TempDirectory();
        var output = Path.Combine(directory.Path, "judge.env");
        var password = "p'a\"s$s`w\\o&r@PRIVATE_IP@d;";
        var values = SiloValues(connectionString: $"Host=db;Password='{password.Replace("'", "''")}'");
        values["RESULTS_QUEUE_URL"] = ""; // an empty value leaves the setting out
        Ec2Bootstrap.Render("judge.env.example", output, values);

        var read = Ec2Bootstrap.ReadEnvironmentFile(output);
        Assert.Equal(values["CONNECTION_STRING"], read["ConnectionStrings__Judge"]);
        Assert.Equal("10.0.1.17", read["Judge__Silo__AdvertisedIp"]);
        Assert.Equal("python3,pypy3", read["Judge__Toolchains"]);
        Assert.DoesNotContain("Judge__Results__QueueUrl", read.Keys);
        Assert.Equal(Ec2Bootstrap.Template("judge.env.example").Keys.Where(k => k != "Judge__Results__QueueUrl").Order(), read.Keys.Order());
        // bash's double quotes unescape exactly \\ \" \$ \` as systemd does: the same value comes back.
        var bash = Tool.Run("bash", ["-c", $"set -a; . '{output}'; printf %s \"$ConnectionStrings__Judge\""], package: "bash");
        Assert.Equal(values["CONNECTION_STRING"], bash.StandardOutput);
    }

    [Fact]
    public void Rendering_fails_naming_a_placeholder_without_a_value()
    {
        using var directory = new TempDirectory();
        var values = SiloValues("Host=db");
        values.Remove("PROBLEMS_BUCKET");
        var result = Ec2Bootstrap.RunCommon($"judge_render_env '{Ec2Files.Path("judge.env.example")}' '{directory.Path}/x.env'", values);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("@PROBLEMS_BUCKET@ has no value", result.All);
    }

    /// <summary>A value for every placeholder of the silo template.</summary>
    public static Dictionary<string, string> SiloValues(string connectionString) => new()
    {
        ["CONNECTION_STRING"] = connectionString,
        ["CLUSTER_ID"] = "judge",
        ["SERVICE_ID"] = "judge",
        ["PRIVATE_IP"] = "10.0.1.17",
        ["TOOLCHAINS"] = "python3,pypy3",
        ["SLOTS"] = "2",
        ["PROBLEMS_BUCKET"] = "judge-problems",
        ["REGION"] = "eu-west-1",
        ["RESULTS_QUEUE_URL"] = "https://sqs.eu-west-1.amazonaws.com/1/judge-results",
        ["API_KEY_SHA256"] = new string('a', 64),
        ["COOKIE_SECRET"] = new string('c', 40),
    };

    /// <summary>The absolute programs a language runs: its version command, compiler and runtime.</summary>
    private static IEnumerable<string> Programs(Language language)
    {
        var layout = language.Layout(language.SelfTestSource);
        IEnumerable<IReadOnlyList<string>?> commands = [language.VersionCommand, language.CompileCommand(layout), language.RunCommand(layout, SandboxLimits.Default)];
        return commands.OfType<IReadOnlyList<string>>().Select(c => c[0]).Where(p => p.StartsWith('/')).Distinct();
    }

    /// <summary>The installed package owning <paramref name="program"/> (after resolving links such as /etc/alternatives).</summary>
    private static string Owner(string program)
    {
        var real = new FileInfo(program).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? program;
        var result = Tool.Run("dpkg-query", ["-S", real], package: "dpkg");
        Assert.True(result.ExitCode == 0, $"{program} ({real}) belongs to no installed package: run scripts/setup.sh ({result.All})");
        return result.StandardOutput.Split(':')[0].Trim();
    }

    /// <summary><paramref name="package"/> and what it depends on, <paramref name="depth"/> levels deep, as installed here.</summary>
    private static HashSet<string> Closure(string package, int depth)
    {
        var all = new HashSet<string> { package };
        var frontier = new List<string> { package };
        for (var level = 0; level < depth; level++)
        {
            var next = new List<string>();
            foreach (var p in frontier)
            {
                var result = Tool.Run("dpkg-query", ["-W", "-f=${Depends},${Pre-Depends}", p], package: "dpkg");
                Assert.True(result.ExitCode == 0, $"{p} is not installed: run scripts/setup.sh ({result.All})");
                foreach (Match m in DependencyName().Matches(result.StandardOutput))
                {
                    var name = m.Groups[1].Value.Split(':')[0];
                    if (all.Add(name))
                        next.Add(name);
                }
            }
            frontier = next;
        }
        return all;
    }

    [GeneratedRegex(@"(?:^|[,|])\s*([a-z0-9][a-z0-9+.\-:]*)")]
    private static partial Regex DependencyName();
}

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("judge-ec2-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
