using System.Text.Json;
using System.Text.RegularExpressions;
using Judge.Engine.Languages;
using Judge.Engine.Sandbox;

namespace Judge.Deploy.Tests;

/// <summary>deploy/docker: Dockerfiles that copy only what exists and is in the build context, pinned base images, each pool
/// installing exactly the packages its languages' toolchain probe needs, and a silo that never runs as root.</summary>
public partial class DockerImageTests
{
    private static string Docker => Path.Combine(Repository.Root, "deploy", "docker");
    private static string SiloDockerfile => Path.Combine(Docker, "silo.Dockerfile");
    private static string IngressDockerfile => Path.Combine(Docker, "ingress.Dockerfile");

    /// <summary>The files of deploy/docker, relative to deploy/ (all checked here or by DeployFileTests' shellcheck).</summary>
    public static IEnumerable<string> Files =>
        Directory.EnumerateFiles(Docker, "*", SearchOption.AllDirectories).Select(f => "docker/" + Path.GetRelativePath(Docker, f).Replace('\\', '/'));

    /// <summary>The toolchain pools: one deploy/docker/pools/&lt;pool&gt;.packages each.</summary>
    public static IReadOnlyList<string> Pools =>
        Directory.EnumerateFiles(Path.Combine(Docker, "pools"), "*.packages").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()!;

    private static List<string> PoolPackages(string pool) =>
        File.ReadAllLines(Path.Combine(Docker, "pools", pool + ".packages"))
            .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>One instruction of a Dockerfile, continuation lines joined, with the index of its stage.</summary>
    private sealed record Instruction(string Keyword, string Arguments, int Stage);

    private static List<Instruction> Parse(string dockerfile)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in File.ReadAllLines(dockerfile))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var text = (pending + line).Trim();
            pending = "";
            if (text.Length == 0)
                continue;
            var keyword = text.Split(' ', 2)[0].ToUpperInvariant();
            if (keyword == "FROM")
                stage++;
            instructions.Add(new Instruction(keyword, text.Split(' ', 2).ElementAtOrDefault(1) ?? "", stage));
        }
        return instructions;
    }

    private static List<string> Words(string arguments) =>
        arguments.TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(arguments)!
            : arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static TheoryData<string> Dockerfiles => new(["silo.Dockerfile", "ingress.Dockerfile"]);

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_COPY_source_exists_and_is_in_the_build_context(string name)
    {
        var ignore = DockerIgnore.Load(Path.Combine(Repository.Root, ".dockerignore"));
        var copies = Parse(Path.Combine(Docker, name)).Where(i => i.Keyword is "COPY" or "ADD").ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var words = Words(copy.Arguments);
            if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
                continue;
            var sources = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1).ToList();
            Assert.NotEmpty(sources);
            foreach (var source in sources)
                foreach (var path in source.Contains("${POOL}") ? Pools.Select(p => source.Replace("${POOL}", p)) : [source])
                {
                    var relative = path.TrimEnd('/');
                    Assert.True(File.Exists(Path.Combine(Repository.Root, relative)) || Directory.Exists(Path.Combine(Repository.Root, relative)),
                        $"{name}: COPY {path}: no such file in the repository");
                    Assert.False(ignore.Excludes(relative), $"{name}: COPY {path}: excluded from the build context by .dockerignore");
                }
        }
        // the context keeps build outputs out
        Assert.True(ignore.Excludes("src/Silo/bin/Release/net10.0/Judge.Silo.dll"));
        Assert.True(ignore.Excludes("src/Dashboard/node_modules/uplot/package.json"));
        Assert.True(ignore.Excludes("tests/Judge.Deploy.Tests/KubernetesManifestTests.cs"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Base_images_are_pinned_to_exact_versions(string name)
    {
        var instructions = Parse(Path.Combine(Docker, name));
        var stages = new List<string>();
        foreach (var from in instructions.Where(i => i.Keyword == "FROM"))
        {
            var words = Words(from.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            var image = words[0];
            if (words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                stages.Add(words[2]);
            if (stages.Contains(image))
                continue;
            var m = ImageReference().Match(image);
            Assert.True(m.Success, $"{name}: FROM {image} has no tag");
            var (repository, tag) = (m.Groups["repository"].Value, m.Groups["tag"].Value);
            // .NET images: the patch version (10.0.12, SDK 10.0.401); Debian: the point release (12.11). Never a floating tag.
            var exact = repository.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal) ? @"^\d+\.\d+\.\d+-[a-z]+$"
                : repository == "debian" ? @"^\d+\.\d+-slim$"
                : throw new Xunit.Sdk.XunitException($"{name}: FROM {image}: a base image the tests do not know");
            Assert.Matches(exact, tag);
        }
        Assert.Contains("@sha256", File.ReadAllText(Path.Combine(Docker, "README.md"))); // how to pin digests
    }

    [GeneratedRegex(@"^(?<repository>[^:@]+):(?<tag>[^@]+)(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex ImageReference();

    [Fact]
    public void The_runtime_images_install_only_the_NET_runtime_dependencies_and_their_pool()
    {
        string[] runtimeDependencies = ["ca-certificates", "libicu72", "libssl3", "tzdata"]; // as Microsoft's runtime-deps images
        foreach (var (dockerfile, poolInstall) in new[] { (SiloDockerfile, true), (IngressDockerfile, false) })
        {
            var instructions = Parse(dockerfile);
            var last = instructions.Max(i => i.Stage);
            var installs = instructions.Where(i => i.Stage == last && i.Keyword == "RUN")
                .SelectMany(i => Regex.Matches(i.Arguments, @"apt-get install ([^&;|]*)").Select(m => m.Groups[1].Value)).ToList();
            var explicitPackages = installs.SelectMany(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => !w.StartsWith('-')).ToList();
            Assert.Equal(runtimeDependencies, explicitPackages);
            Assert.All(installs, i => Assert.Contains("--no-install-recommends", i));
            var fromPoolFile = instructions.Where(i => i.Stage == last && i.Keyword == "RUN" && i.Arguments.Contains("/tmp/pool.packages | xargs apt-get install"));
            Assert.Equal(poolInstall ? 1 : 0, fromPoolFile.Count());
            if (poolInstall)
                Assert.Contains(instructions, i => i.Stage == last && i.Keyword == "COPY" && i.Arguments == "deploy/docker/pools/${POOL}.packages /tmp/pool.packages");
        }
    }

    /// <summary>The Debian packages installed on this machine: what each provides and depends on.</summary>
    private sealed class Installed
    {
        private readonly Dictionary<string, List<List<string>>> _depends = [];
        private readonly Dictionary<string, List<string>> _providers = [];

        public Installed()
        {
            var dpkg = Tools.OnPath("dpkg-query", "dpkg");
            var (exit, output, error) = Tools.Run(dpkg, ["-W", "-f=${db:Status-Abbrev}|${Package}|${Provides}|${Pre-Depends}|${Depends}\n"]);
            Assert.True(exit == 0, error);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = line.Split('|');
                if (!f[0].StartsWith("ii", StringComparison.Ordinal))
                    continue;
                _depends[f[1]] = Relations(f[3] + "," + f[4]);
                foreach (var provided in Relations(f[2]).SelectMany(a => a))
                    (_providers.TryGetValue(provided, out var list) ? list : _providers[provided] = []).Add(f[1]);
            }
        }

        private static List<List<string>> Relations(string field) =>
            field.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(group => group.Split('|').Select(a => a.Trim().Split(' ')[0].Split(':')[0]).ToList()).ToList();

        /// <summary>The packages and their installed dependencies, recursively (for an alternative, the first one installed).</summary>
        public HashSet<string> Closure(IEnumerable<string> packages)
        {
            var closure = new HashSet<string>();
            var queue = new Queue<string>(packages);
            while (queue.TryDequeue(out var package))
            {
                Assert.True(_depends.ContainsKey(package), $"the Debian package {package} is not installed here: scripts/setup.sh installs the toolchains");
                if (!closure.Add(package))
                    continue;
                foreach (var group in _depends[package])
                {
                    var chosen = group.Select(a => _depends.ContainsKey(a) ? [a] : _providers.GetValueOrDefault(a) ?? []).FirstOrDefault(c => c.Count > 0);
                    foreach (var dependency in chosen ?? [])
                        queue.Enqueue(dependency);
                }
            }
            return closure;
        }
    }

    /// <summary>The Debian packages each language's toolchain needs on this machine: the owners of each program its probe and
    /// self-test run, of the path itself (/usr/bin/gcc: gcc) and of what it resolves to (/usr/bin/x86_64-linux-gnu-gcc-12:
    /// gcc-12; /usr/bin/java, an alternative, only the JDK's own file).</summary>
    private static Dictionary<string, HashSet<string>> ToolchainPackages()
    {
        var paths = new Dictionary<string, List<(string Program, string Path)>>();
        foreach (var language in LanguageCatalog.All)
        {
            var layout = language.Layout(language.SelfTestSource);
            var programs = new[] { language.VersionCommand }.Append(language.CompileCommand(layout)).Append(language.RunCommand(layout, SandboxLimits.Default))
                .Where(c => c is { Count: > 0 } && Path.IsPathRooted(c[0])).Select(c => c![0]).Distinct().ToList();
            Assert.NotEmpty(programs);
            paths[language.Id] = [];
            foreach (var program in programs)
            {
                var real = new FileInfo(program).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? program;
                Assert.True(File.Exists(real), $"{language.Id}: {program} is not installed here: scripts/setup.sh installs the toolchains");
                paths[language.Id].AddRange(new[] { program, real }.Distinct().Select(p => (program, p)));
            }
        }
        // one dpkg-query for every path: it reads the whole file database each time
        var (_, output, _) = Tools.Run(Tools.OnPath("dpkg-query", "dpkg"), ["-S", .. paths.Values.SelectMany(p => p).Select(p => p.Path).Distinct()]);
        var owners = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2)).ToDictionary(f => f[1], f => f[0].Split(", ").Select(p => p.Split(':')[0]).ToList());
        return paths.ToDictionary(p => p.Key, p =>
        {
            foreach (var (program, path) in p.Value)
                Assert.True(owners.ContainsKey(path) || path == program, $"{p.Key}: no Debian package owns {path}");
            return p.Value.SelectMany(x => owners.GetValueOrDefault(x.Path) ?? []).ToHashSet();
        });
    }

    /// <summary>The pool table of deploy/docker/README.md: pool → (packages, languages).</summary>
    private static Dictionary<string, (List<string> Packages, List<string> Languages)> ReadmeTable() =>
        File.ReadAllLines(Path.Combine(Docker, "README.md"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 6 && Pools.Contains(c[1]))
            .ToDictionary(c => c[1], c => (c[3].Split(' ').ToList(), c[4].Split(' ').ToList()));

    [Fact]
    public void Every_pool_image_installs_exactly_what_its_languages_need()
    {
        var installed = new Installed();
        var toolchains = ToolchainPackages();
        var table = ReadmeTable();
        Assert.Equal(Pools, table.Keys.Order(StringComparer.Ordinal));
        foreach (var pool in Pools)
        {
            var packages = PoolPackages(pool);
            var closure = installed.Closure(packages);
            var offered = toolchains.Where(t => t.Value.IsSubsetOf(closure)).Select(t => t.Key).ToList();
            Assert.Equal(table[pool].Languages.Order(), offered.Order());
            Assert.Equal(table[pool].Packages, packages);
            Assert.NotEmpty(offered);
            // nothing else: every package brings a toolchain of one of the pool's languages
            foreach (var package in packages)
                Assert.True(toolchains.Where(t => offered.Contains(t.Key)).Any(t => t.Value.Overlaps(installed.Closure([package]))),
                    $"pools/{pool}.packages: {package} brings no toolchain of {string.Join(", ", offered)}");
        }
        Assert.Equal(Pools.Where(p => p != "all").SelectMany(PoolPackages).Order(), PoolPackages("all").Order());
        Assert.Equal(LanguageCatalog.All.Select(l => l.Id).Order(), table["all"].Languages.Order());
    }

    [Fact]
    public void The_images_create_the_judge_users_and_check_their_health()
    {
        var silo = File.ReadAllText(SiloDockerfile);
        Assert.Contains("groupadd --system --gid 10001 judge", silo);
        Assert.Contains("useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/judge --no-create-home --shell /usr/sbin/nologin judge", silo);
        Assert.Contains("""ENTRYPOINT ["/usr/local/bin/judge-entrypoint"]""", silo);
        Assert.Contains("""HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/judge-healthcheck", "8080"]""", silo);
        var ingress = Parse(IngressDockerfile);
        var text = File.ReadAllText(IngressDockerfile);
        Assert.Contains("useradd --system --uid 10002 --gid 10002", text);
        Assert.Contains(" judge-ingress", text);
        Assert.Equal("10002:10002", ingress.Last(i => i.Keyword == "USER").Arguments);
        Assert.Contains(ingress, i => i.Keyword == "HEALTHCHECK" && i.Arguments.EndsWith("""CMD ["/usr/local/bin/judge-healthcheck", "8081"]""", StringComparison.Ordinal));
        foreach (var dockerfile in new[] { SiloDockerfile, IngressDockerfile })
            Assert.Single(Parse(dockerfile), i => i.Keyword == "HEALTHCHECK");
    }
}
