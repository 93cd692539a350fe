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

    /// <summary>The Debian packages of a pool's image (deploy/docker/pools/&lt;pool&gt;.packages).</summary>
    public static List<string> PoolPackages(string pool) =>
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
            if (image.Contains("${POOL}"))
            {
                // a stage chosen by pool (dotnet-${POOL}): every pool's must be a stage above
                Assert.All(Pools, p => Assert.Contains(image.Replace("${POOL}", p), stages));
                continue;
            }
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

    /// <summary>What a pool's image gets from Debian: the packages apt installs for a pool's list, resolved against the Debian
    /// archive (apt's package lists) as on an empty system, not against what this machine happens to have (its nodejs may
    /// be NodeSource's, which depends on python3; Debian's, which the image installs, does not). And the packages marked
    /// Essential, which every Debian image (debian:*-slim too) carries without asking.</summary>
    private sealed class Installed : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> _closures = new();
        private readonly string _emptyStatus;

        public HashSet<string> Essential { get; } = [];

        public Installed()
        {
            var dpkg = Tools.OnPath("dpkg-query", "dpkg");
            var (exit, output, error) = Tools.Run(dpkg, ["-W", "-f=${db:Status-Abbrev}|${Package}|${Essential}\n"]);
            Assert.True(exit == 0, error);
            foreach (var f in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
                if (f[0].StartsWith("ii", StringComparison.Ordinal) && f[2] == "yes")
                    Essential.Add(f[1]);
            Assert.Contains("dash", Essential);
            _emptyStatus = Path.Combine(Path.GetTempPath(), $"judge-deploy-dpkg-status-{Environment.ProcessId}");
            File.WriteAllText(_emptyStatus, "");
        }

        public void Dispose() => File.Delete(_emptyStatus);

        /// <summary>The packages apt would install for each of <paramref name="packages"/> on an empty system, together.</summary>
        public HashSet<string> Closure(IEnumerable<string> packages) =>
            packages.SelectMany(package =>
            {
                if (_closures.TryGetValue(package, out var cached))
                    return cached;
                var (exit, output, error) = Tools.Run(Tools.OnPath("apt-get", "apt"),
                    ["-s", "-qq", "-o", "Dir::State::status=" + _emptyStatus, "-o", "Debug::NoLocking=1", "install", "--no-install-recommends", package], timeout: TimeSpan.FromMinutes(5));
                Assert.True(exit == 0, $"apt-get cannot install the Debian package {package} (apt-get update fetches the package lists):\n{error}");
                var closure = output.Split('\n').Where(l => l.StartsWith("Inst ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1].Split(':')[0]).ToHashSet();
                Assert.Contains(package, closure);
                return _closures[package] = closure;
            }).ToHashSet();
    }

    /// <summary>Where the images (and this machine) keep .NET: silo.Dockerfile copies it there and links /usr/bin/dotnet to it.</summary>
    private const string DotnetRoot = "/usr/share/dotnet/";

    /// <summary>Stand-ins for what is no Debian package: the .NET runtime every silo image copies, and the .NET SDK (its
    /// compiler under sdk/, its reference assemblies under packs/) that only some pools' images copy.</summary>
    private const string DotnetRuntime = "(the .NET runtime)", DotnetSdk = "(the .NET SDK)";

    /// <summary>The Debian packages each language's toolchain needs on this machine: the owners of each program its probe and
    /// self-test run, of the path itself (/usr/bin/gcc: gcc) and of what it resolves to (/usr/bin/x86_64-linux-gnu-gcc-12:
    /// gcc-12; /usr/bin/java, an alternative, only the JDK's own file). Files under <see cref="DotnetRoot"/> (the programs
    /// and the files the commands name, as C#'s csc.dll) are .NET's instead: <see cref="DotnetSdk"/> or
    /// <see cref="DotnetRuntime"/>.</summary>
    private static Dictionary<string, HashSet<string>> ToolchainPackages()
    {
        var paths = new Dictionary<string, List<(string Program, string Path)>>();
        var dotnet = new Dictionary<string, HashSet<string>>();
        foreach (var language in LanguageCatalog.All)
        {
            var layout = language.Layout(language.SelfTestSource);
            var commands = new[] { language.VersionCommand }.Append(language.CompileCommand(layout)).Append(language.RunCommand(layout, SandboxLimits.Default))
                .Where(c => c is { Count: > 0 }).Select(c => c!).ToList();
            var programs = commands.Where(c => Path.IsPathRooted(c[0])).Select(c => c[0]).Distinct().ToList();
            Assert.NotEmpty(programs);
            paths[language.Id] = [];
            dotnet[language.Id] = [];
            foreach (var program in programs)
            {
                var real = new FileInfo(program).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? program;
                Assert.True(File.Exists(real), $"{language.Id}: {program} is not installed here: scripts/setup.sh installs the toolchains");
                if (real.StartsWith(DotnetRoot, StringComparison.Ordinal))
                    dotnet[language.Id].Add(real);
                else
                    paths[language.Id].AddRange(new[] { program, real }.Distinct().Select(p => (program, p)));
            }
            // the files of .NET the commands name (csc.dll, the reference assemblies): the SDK's or the runtime's
            foreach (var argument in commands.SelectMany(c => c.Skip(1)).Select(a => a.Split(':', 2)[^1]))
                if (argument.StartsWith(DotnetRoot, StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(argument), $"{language.Id}: {argument} is not installed here");
                    dotnet[language.Id].Add(argument);
                }
        }
        // one dpkg-query for every path: it reads the whole file database each time. /bin/sh also prints dash's
        // "diversion by dash from/to" lines: they name no owner.
        var (_, output, _) = Tools.Run(Tools.OnPath("dpkg-query", "dpkg"), ["-S", .. paths.Values.SelectMany(p => p).Select(p => p.Path).Distinct()]);
        var owners = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("diversion by ", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2)).ToDictionary(f => f[1], f => f[0].Split(", ").Select(p => p.Split(':')[0]).ToList());
        return paths.ToDictionary(p => p.Key, p =>
        {
            foreach (var (program, path) in p.Value)
                Assert.True(owners.ContainsKey(path) || path == program, $"{p.Key}: no Debian package owns {path}");
            var packages = p.Value.SelectMany(x => owners.GetValueOrDefault(x.Path) ?? []).ToHashSet();
            foreach (var file in dotnet[p.Key])
                packages.Add(file[DotnetRoot.Length..].Split('/')[0] is "sdk" or "packs" ? DotnetSdk : DotnetRuntime);
            Assert.NotEmpty(packages);
            return packages;
        });
    }

    /// <summary>The pools whose silo image gets the .NET SDK: silo.Dockerfile copies /usr/share/dotnet from the stage
    /// dotnet-${POOL}, which is either dotnet-sdk (Microsoft's SDK image) or dotnet-runtime (its ASP.NET Core runtime).</summary>
    public static HashSet<string> PoolsWithTheSdk()
    {
        var instructions = Parse(SiloDockerfile);
        var last = instructions.Max(i => i.Stage);
        var froms = instructions.Where(i => i.Keyword == "FROM").Select(i => Words(i.Arguments)).Where(w => w.Count == 3).ToDictionary(w => w[2], w => w[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", froms["dotnet-sdk"], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", froms["dotnet-runtime"], StringComparison.Ordinal);
        Assert.Equal("dotnet-${POOL}", froms["dotnet-pool"]);
        Assert.Contains(instructions, i => i.Stage == last && i.Keyword == "COPY" && i.Arguments == "--from=dotnet-pool " + DotnetRoot.TrimEnd('/') + " " + DotnetRoot.TrimEnd('/'));
        Assert.Contains(instructions, i => i.Stage == last && i.Keyword == "RUN" && i.Arguments == "ln -s " + DotnetRoot + "dotnet /usr/bin/dotnet");
        Assert.DoesNotContain(instructions, i => i.Stage == last && i.Keyword == "COPY" && i.Arguments.Contains(DotnetRoot.TrimEnd('/')) && !i.Arguments.StartsWith("--from=dotnet-pool ", StringComparison.Ordinal));
        return Pools.Where(p =>
        {
            Assert.True(froms.TryGetValue("dotnet-" + p, out var from), $"silo.Dockerfile: no stage dotnet-{p} for the pool {p}");
            Assert.True(from is "dotnet-sdk" or "dotnet-runtime", $"silo.Dockerfile: dotnet-{p} is FROM {from}, not dotnet-sdk or dotnet-runtime");
            return from == "dotnet-sdk";
        }).ToHashSet();
    }

    /// <summary>The pool table of deploy/docker/README.md: pool → (packages, whether " + the .NET SDK" follows them, languages).</summary>
    private static Dictionary<string, (List<string> Packages, bool Sdk, List<string> Languages)> ReadmeTable() =>
        File.ReadAllLines(Path.Combine(Docker, "README.md"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 6 && Pools.Contains(c[1]))
            .ToDictionary(c => c[1], c =>
            {
                var sdk = c[3].EndsWith("the .NET SDK", StringComparison.Ordinal);
                var packages = sdk ? c[3][..^"the .NET SDK".Length].Trim().TrimEnd('+').Trim() : c[3];
                return (packages.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(), sdk, c[4].Split(' ').ToList());
            });

    /// <summary>The languages a pool's image offers: those whose toolchain packages its image has (the pool's packages and
    /// their dependencies, Debian's essential packages, .NET: the runtime, or the SDK where silo.Dockerfile copies it), as
    /// the silo's toolchain probe finds them there.</summary>
    private static List<string> Offered(Installed installed, Dictionary<string, HashSet<string>> toolchains, HashSet<string> withSdk, string pool)
    {
        var image = installed.Closure(PoolPackages(pool)).Union(installed.Essential).Append(DotnetRuntime).ToHashSet();
        if (withSdk.Contains(pool))
            image.Add(DotnetSdk);
        return toolchains.Where(t => t.Value.IsSubsetOf(image)).Select(t => t.Key).ToList();
    }

    /// <summary>What the pools' images are checked against, computed once for every test that asks (apt's resolutions are slow).</summary>
    private static readonly Lazy<(Installed Installed, Dictionary<string, HashSet<string>> Toolchains, HashSet<string> WithSdk)> images = new(() =>
    {
        var installed = new Installed();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => installed.Dispose();
        return (installed, ToolchainPackages(), PoolsWithTheSdk());
    });

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> poolLanguages = new(() =>
    {
        var (installed, toolchains, withSdk) = images.Value;
        return Pools.ToDictionary(p => p, p => (IReadOnlyList<string>)Offered(installed, toolchains, withSdk, p));
    });

    /// <summary>Each pool's languages, derived from what its image installs (deploy/docker/pools/&lt;pool&gt;.packages and
    /// silo.Dockerfile) and the language classes' toolchains: the one source the images, the EC2 user-data and the
    /// autoscalers' language lists are checked against.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> PoolLanguages() => poolLanguages.Value;

    [Fact]
    public void Every_pool_image_installs_exactly_what_its_languages_need()
    {
        var (installed, toolchains, withSdk) = images.Value;
        var table = ReadmeTable();
        Assert.Equal(Pools, table.Keys.Order(StringComparer.Ordinal));
        foreach (var pool in Pools)
        {
            var packages = PoolPackages(pool);
            var offered = PoolLanguages()[pool];
            Assert.Equal(table[pool].Languages.Order(), offered.Order());
            Assert.Equal(table[pool].Packages, packages);
            Assert.True(table[pool].Sdk == withSdk.Contains(pool), $"deploy/docker/README.md: the {pool} pool's image {(withSdk.Contains(pool) ? "gets" : "does not get")} the .NET SDK");
            Assert.NotEmpty(offered);
            // the SDK only where a language needs it
            if (withSdk.Contains(pool))
                Assert.Contains(offered, l => toolchains[l].Contains(DotnetSdk));
            // nothing else: every package brings a toolchain of one of the pool's languages
            foreach (var package in packages)
                Assert.True(toolchains.Where(t => offered.Contains(t.Key)).Any(t => t.Value.Overlaps(installed.Closure([package]))),
                    $"pools/{pool}.packages: {package} brings no toolchain of {string.Join(", ", offered)}");
        }
        Assert.Equal(Pools.Where(p => p != "all").SelectMany(PoolPackages).Order(), PoolPackages("all").Order());
        Assert.Equal(LanguageCatalog.All.Select(l => l.Id).Order(), table["all"].Languages.Order());
    }

    [Fact]
    public void The_silo_is_published_as_ReadyToRun_code_for_the_images_architecture()
    {
        // The silo runs without tiered compilation (src/Silo/JudgeHostRuntime.props): without precompiled code every method
        // is compiled, optimized, at its first call, and a silo took about 2 s more to be ready (docs/PERFORMANCE.md).
        var instructions = Parse(SiloDockerfile);
        var publish = Assert.Single(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish src/Silo/", StringComparison.Ordinal));
        Assert.Contains(instructions, i => i.Stage == publish.Stage && i.Keyword == "ARG" && i.Arguments == "TARGETARCH"
            && instructions.IndexOf(i) < instructions.IndexOf(publish));
        var command = publish.Arguments[..publish.Arguments.IndexOf("&& dotnet publish", StringComparison.Ordinal)];
        var words = Words(publish.Arguments[publish.Arguments.IndexOf("dotnet publish", StringComparison.Ordinal)..]);
        Assert.Contains("-p:PublishReadyToRun=true", words);
        Assert.Equal(["-r", "\"$rid\""], words.SkipWhile(w => w != "-r").Take(2));
        Assert.Equal(["--self-contained", "false"], words.SkipWhile(w => w != "--self-contained").Take(2)); // the image's runtime runs it

        // The architecture's runtime identifier, as the build's /bin/sh computes it; anything else stops the build.
        foreach (var (arch, rid) in new[] { ("amd64", "linux-x64"), ("arm64", "linux-arm64"), ("", "linux-x64") })
        {
            var (exit, output, error) = Tools.Run("sh", ["-c", command + "; echo \"$rid\""], environment: new Dictionary<string, string?> { ["TARGETARCH"] = arch });
            Assert.True(exit == 0, $"TARGETARCH={arch}: {error}");
            Assert.Equal(rid, output.Trim());
        }
        var refused = Tools.Run("sh", ["-c", command + "; echo \"$rid\""], environment: new Dictionary<string, string?> { ["TARGETARCH"] = "s390x" });
        Assert.Equal(1, refused.Exit);
        Assert.Equal("", refused.Out);
        Assert.Contains("no .NET runtime identifier for TARGETARCH 's390x'", refused.Err);
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
