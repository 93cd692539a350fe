using Microsoft.Extensions.FileProviders;

namespace Judge.Dashboard.Pages;

/// <summary>The dashboard's files (wwwroot), embedded in this assembly with a manifest, so a host needs no files on disk.</summary>
public static class DashboardAssets
{
    /// <summary>The embedded <c>wwwroot/assets</c> folder: scripts, styles, vendored libraries.</summary>
    public static IFileProvider Assets { get; } = new ManifestEmbeddedFileProvider(typeof(DashboardAssets).Assembly, "wwwroot/assets");

    /// <summary>The embedded <c>wwwroot/pages</c> folder: the HTML shells of the pages.</summary>
    public static IFileProvider Pages { get; } = new ManifestEmbeddedFileProvider(typeof(DashboardAssets).Assembly, "wwwroot/pages");

    /// <summary>The Content-Security-Policy of every page: only this origin's scripts, styles, images and connections; no
    /// inline scripts or styles, no frames, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}
