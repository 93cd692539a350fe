using Judge.ServiceDefaults.Auth;

namespace Judge.ServiceDefaults.Auth
{
    /// <summary>The scopes an API key may hold (<c>Judge:Auth:Keys:&lt;n&gt;:Scopes</c>).</summary>
    public static class JudgeScopes
    {
        /// <summary>May submit, and read the submissions it made.</summary>
        public const string Submit = "submit";

        /// <summary>May read every submission, the live feed, problems, languages, the cluster and metrics.</summary>
        public const string Read = "read";

        /// <summary>May read judge messages (what validators tell the judges).</summary>
        public const string Judge = "judge";

        /// <summary>May rejudge and administer.</summary>
        public const string Admin = "admin";

        /// <summary>Every scope, in the order documented.</summary>
        public static readonly IReadOnlyList<string> All = [Submit, Read, Judge, Admin];
    }

    /// <summary>Who makes an HTTP request: the name and scopes of its API key, or the anonymous caller of a judge that has no
    /// keys configured (open, loopback only), who holds every scope.</summary>
    public sealed record JudgeCaller(string? KeyName, IReadOnlySet<string> Scopes)
    {
        /// <summary>The caller of a judge without keys: every scope, no key name.</summary>
        public static readonly JudgeCaller Open = new(null, new HashSet<string>(JudgeScopes.All, StringComparer.Ordinal));

        /// <summary>The caller of a judge with keys that presents none: no scope, no key name.</summary>
        public static readonly JudgeCaller Nobody = new(null, new HashSet<string>(StringComparer.Ordinal));

        /// <summary>Whether the caller holds <paramref name="scope"/>.</summary>
        public bool Has(string scope) => Scopes.Contains(scope);

        /// <summary>Whether the caller may read a submission made by the key named <paramref name="submittedBy"/>: with
        /// <see cref="JudgeScopes.Read"/> any submission, with only <see cref="JudgeScopes.Submit"/> its own.</summary>
        public bool CanRead(string? submittedBy) =>
            Has(JudgeScopes.Read) || (KeyName is not null && Has(JudgeScopes.Submit) && string.Equals(submittedBy, KeyName, StringComparison.Ordinal));
    }

    /// <summary>Endpoint metadata: the scope a route needs. With <see cref="OwnSubmissionsSuffice"/>, a caller that lacks the
    /// scope but holds <see cref="JudgeScopes.Submit"/> is let through, and the endpoint shows it only its own submissions
    /// (<see cref="JudgeCaller.CanRead"/>).</summary>
    public sealed record RequiredScope(string Scope, bool OwnSubmissionsSuffice = false);
}

namespace Microsoft.AspNetCore.Http
{
    /// <summary>Reads the caller the access rules established for a request.</summary>
    public static class JudgeCallerHttpContextExtensions
    {
        /// <summary>The caller of this request (set by the access rules); <see cref="JudgeCaller.Open"/> when the judge
        /// has no keys configured.</summary>
        public static JudgeCaller GetJudgeCaller(this HttpContext context) => context.Features.Get<JudgeCaller>()
            ?? (context.RequestServices?.GetService(typeof(JudgeAccessRules)) is JudgeAccessRules { Current.Keys.Closed: true } ? JudgeCaller.Nobody : JudgeCaller.Open);
    }
}

namespace Microsoft.AspNetCore.Builder
{
    /// <summary>Declares the scope an endpoint needs.</summary>
    public static class RequiredScopeEndpointExtensions
    {
        /// <summary>The endpoint needs <paramref name="scope"/> (see <see cref="RequiredScope"/>).</summary>
        public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope, bool ownSubmissionsSuffice = false)
            where TBuilder : IEndpointConventionBuilder =>
            builder.WithMetadata(new RequiredScope(scope, ownSubmissionsSuffice));
    }
}
