using Judge.ServiceDefaults.Auth;

namespace Judge.Dashboard.Pages;

/// <summary>One dashboard page: its route, the HTML shell (under <c>wwwroot/pages</c>) and the scope its data needs.</summary>
/// <param name="Route">The route pattern, e.g. <c>/submissions/{id}</c>.</param>
/// <param name="Shell">The HTML file under <c>wwwroot/pages</c>.</param>
/// <param name="Scope">The scope the page needs (null: open, as <c>/login</c> is).</param>
/// <param name="OwnSubmissionsSuffice">Whether a key with only <c>submit</c> may see the page (it then shows its own submissions).</param>
public sealed record DashboardPage(string Route, string Shell, string? Scope, bool OwnSubmissionsSuffice = false)
{
    /// <summary>Every page of the dashboard.</summary>
    public static readonly IReadOnlyList<DashboardPage> All =
    [
        new("/", "index.html", JudgeScopes.Read, OwnSubmissionsSuffice: true),
        new("/submissions/{id}", "submission.html", JudgeScopes.Read, OwnSubmissionsSuffice: true),
        new("/cluster", "cluster.html", JudgeScopes.Read),
        new("/problems", "problems.html", JudgeScopes.Read, OwnSubmissionsSuffice: true),
        new("/submit", "submit.html", JudgeScopes.Submit),
        new("/login", "login.html", null),
    ];
}
