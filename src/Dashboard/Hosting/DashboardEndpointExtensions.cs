using Judge.Dashboard.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dashboard pages.</summary>
public static class DashboardEndpointExtensions
{
    /// <summary>Where the dashboard's scripts, styles and vendored libraries are served.</summary>
    public const string AssetsPath = "/assets";

    /// <summary>Serves the dashboard pages (<see cref="DashboardPage.All"/>, each an HTML shell with a Content-Security-Policy)
    /// and their assets under <c>/assets/</c> from the files embedded in the dashboard assembly.</summary>
    public static WebApplication MapJudgeDashboard(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = DashboardAssets.Assets,
            RequestPath = AssetsPath,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // Every file there is ours; the vendored libraries' LICENSE files have no extension.
            ServeUnknownFileTypes = true,
            DefaultContentType = "text/plain; charset=utf-8",
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                // Vendored libraries change only with a new build of the judge: a day in the cache. Our own scripts and
                // styles are revalidated (ETag) on every load, so a new build is picked up at once.
                headers[HeaderNames.CacheControl] = context.Context.Request.Path.StartsWithSegments($"{AssetsPath}/vendor")
                    ? "public, max-age=86400"
                    : "no-cache";
            },
        });

        foreach (var page in DashboardPage.All)
        {
            var endpoint = app.MapGet(page.Route, (HttpContext context) => ServePage(context, DashboardAssets.Pages, page.Shell))
                .ExcludeFromDescription();
            if (page.Scope is not null)
                endpoint.RequireScope(page.Scope, page.OwnSubmissionsSuffice);
        }
        return app;
    }

    private static async Task ServePage(HttpContext context, IFileProvider files, string shell)
    {
        var file = files.GetFileInfo(shell);
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers[HeaderNames.ContentSecurityPolicy] = DashboardAssets.ContentSecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.XFrameOptions] = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers[HeaderNames.CacheControl] = "no-cache";
        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(response.Body, context.RequestAborted);
    }
}
