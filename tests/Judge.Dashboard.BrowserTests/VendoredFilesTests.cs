namespace Judge.Dashboard.BrowserTests;

/// <summary>The libraries checked in under src/Dashboard/wwwroot/assets/vendor are the npm packages' files, byte for byte
/// (src/Dashboard/vendor.txt lists them; <c>npm ci</c> in src/Dashboard, which scripts/setup.sh --tests runs, fetches
/// the packages pinned in package-lock.json), and the silo serves exactly those bytes.</summary>
[Collection(DashboardCollection.Name)]
public sealed class VendoredFilesTests(DashboardServer server)
{
    private static readonly string Dashboard = Path.Combine(Repository.Root, "src", "Dashboard");

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Dashboard, "vendor.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Add(parts[0], parts[1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_vendored_file_is_the_npm_package_file_and_is_served_unchanged(string package, string vendored)
    {
        var fromNpm = Path.Combine(Dashboard, "node_modules", package);
        Assert.True(File.Exists(fromNpm), $"{fromNpm} is missing: run npm ci in src/Dashboard (scripts/setup.sh --tests does)");
        var checkedIn = await File.ReadAllBytesAsync(Path.Combine(Dashboard, "wwwroot", "assets", "vendor", vendored));
        var packaged = await File.ReadAllBytesAsync(fromNpm);
        Assert.True(checkedIn.AsSpan().SequenceEqual(packaged),
            $"wwwroot/assets/vendor/{vendored} differs from node_modules/{package}: run scripts/vendor-dashboard.sh");
        Assert.Equal(checkedIn, await server.Http.GetByteArrayAsync($"/assets/vendor/{vendored}"));
    }

    [Fact]
    public void The_vendored_packages_are_pinned_to_exact_versions()
    {
        var manifest = File.ReadAllText(Path.Combine(Dashboard, "package.json"));
        Assert.Contains("\"@highlightjs/cdn-assets\": \"11.12.0\"", manifest);
        Assert.Contains("\"uplot\": \"1.6.32\"", manifest);
        var lockFile = File.ReadAllText(Path.Combine(Dashboard, "package-lock.json"));
        Assert.Contains("\"node_modules/uplot\": {\n      \"version\": \"1.6.32\"", lockFile);
        Assert.Contains("\"node_modules/@highlightjs/cdn-assets\": {\n      \"version\": \"11.12.0\"", lockFile);
    }
}
