namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dashboard pages.</summary>
public static class DashboardEndpointExtensions
{
    /// <summary>Serves the dashboard pages and their assets.</summary>
    public static WebApplication MapJudgeDashboard(this WebApplication app)
    {
        return app;
    }
}
