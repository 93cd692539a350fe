using System.Diagnostics;

namespace Judge.Grains.IntegrationTests;

/// <summary>Polls a condition that other threads make true, up to a patience after which the test fails.</summary>
internal static class Waiting
{
    public static async Task Until(Func<bool> condition, string what, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > patience)
                throw new TimeoutException($"waited {patience} for {what}");
            await Task.Delay(5);
        }
    }
}
