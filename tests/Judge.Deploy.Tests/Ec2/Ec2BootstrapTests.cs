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

    public static TheoryData<string> Pools => new(Ec2Files.Pools);

    [Theory]
    [MemberData(nameof(Pools))]
    public void Every_pool_installs_exactly_the_packages_of_its_languages(string pool)
    {
        // The same pools as the container images: the same Debian packages, the same languages (derived from what the
        // image installs and the language classes), and the .NET SDK exactly where the image copies it.
        var packages = Ec2Bootstrap.Array(pool, "JUDGE_TOOLCHAIN_PACKAGES");
        var languages = Ec2Bootstrap.Variable(pool, "JUDGE_TOOLCHAINS").Split(',');
        Assert.Equal(DockerImageTests.PoolPackages(pool), packages);
        Assert.Equal(DockerImageTests.PoolLanguages()[pool].Order(), languages.Order());
        var sdk = Ec2Bootstrap.Variables(pool).GetValueOrDefault("JUDGE_DOTNET_SDK") == "1";
        Assert.True(sdk == DockerImageTests.PoolsWithTheSdk().Contains(pool),
            $"user-data/{pool}.sh {(sdk ? "installs" : "does not install")} the .NET SDK, the {pool} image {(sdk ? "does not get" : "gets")} it");

        // Each language's toolchain programs (version command, compiler, runtime) come from one of the pool's packages
        // or their dependencies (as installed on this machine by scripts/setup.sh), or from .NET (the SDK, which
        // JUDGE_DOTNET_SDK=1 installs); and each package gives one of them.
        var provided = packages.ToDictionary(p => p, p => Closure(p, depth: 3));
        var used = new HashSet<string>();
        foreach (var id in languages)
        {
            var language = LanguageCatalog.Find(id) ?? throw new InvalidOperationException($"{pool}: {id} is not a language of the catalog");
            foreach (var program in Programs(language))
            {
                if (IsDotnet(program))
                {
                    Assert.True(sdk, $"{pool}: {id} needs {program}, .NET's: the user-data must set JUDGE_DOTNET_SDK=1");
                    continue;
                }
                var owner = Owner(program);
                if (IsEssential(owner))
                    continue; // every Debian system has it (dash: /bin/sh)
                var givers = provided.Where(p => p.Value.Contains(owner)).Select(p => p.Key).ToList();
                Assert.True(givers.Count > 0, $"{pool}: {id} needs {program} (package {owner}), which none of {string.Join(' ', packages)} brings");
                used.UnionWith(givers);
            }
        }
        Assert.Equal(packages.Order(), used.Order());
    }

    [Fact]
    public void The_NET_SDK_is_pinned_in_the_band_of_the_pinned_runtime_and_installed_only_where_asked()
    {
        var variables = Ec2Bootstrap.Variables("common");
        var runtime = Regex.Match(variables["JUDGE_DOTNET_VERSION"], @"^(\d+)\.(\d+)\.(\d+)-\d+$");
        var sdk = Regex.Match(variables["JUDGE_DOTNET_SDK_VERSION"], @"^(\d+)\.(\d+)\.1(\d\d)-\d+$");
        Assert.True(runtime.Success && sdk.Success, $"not exact versions: {variables["JUDGE_DOTNET_VERSION"]}, {variables["JUDGE_DOTNET_SDK_VERSION"]}");
        // the feed's SDK 10.0.1NN ships with runtime 10.0.NN: the SDK brings exactly the runtime the silo is pinned to
        Assert.Equal((runtime.Groups[1].Value, runtime.Groups[2].Value, int.Parse(runtime.Groups[3].Value)),
            (sdk.Groups[1].Value, sdk.Groups[2].Value, int.Parse(sdk.Groups[3].Value)));
        Assert.Equal($"dotnet-sdk-{runtime.Groups[1].Value}.{runtime.Groups[2].Value}", variables["JUDGE_DOTNET_SDK_PACKAGE"]);
        // the runtime the tests run on: the release the silo is built for
        Assert.Equal($"{runtime.Groups[1].Value}.{runtime.Groups[2].Value}.{runtime.Groups[3].Value}", Environment.Version.ToString(3));

        var runtimeOnly = Ec2Bootstrap.RunCommon("judge_dotnet_packages", new Dictionary<string, string>());
        Assert.True(runtimeOnly.ExitCode == 0, runtimeOnly.All);
        Assert.Equal([$"aspnetcore-runtime-10.0={variables["JUDGE_DOTNET_VERSION"]}"], runtimeOnly.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var withSdk = Ec2Bootstrap.RunCommon("judge_dotnet_packages", new Dictionary<string, string> { ["JUDGE_DOTNET_SDK"] = "1" });
        Assert.Equal([$"aspnetcore-runtime-10.0={variables["JUDGE_DOTNET_VERSION"]}", $"dotnet-sdk-10.0={variables["JUDGE_DOTNET_SDK_VERSION"]}"],
            withSdk.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
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

    /// <summary>Whether Debian marks <paramref name="package"/> Essential: installed on every Debian system.</summary>
    private static bool IsEssential(string package) =>
        Tool.Run("dpkg-query", ["-W", "-f=${Essential}", package], package: "dpkg").StandardOutput.Trim() == "yes";

    /// <summary>Whether <paramref name="program"/> is .NET's (the host /usr/bin/dotnet, a link into /usr/share/dotnet).</summary>
    private static bool IsDotnet(string program) =>
        (new FileInfo(program).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? program).StartsWith("/usr/share/dotnet/", StringComparison.Ordinal);

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
