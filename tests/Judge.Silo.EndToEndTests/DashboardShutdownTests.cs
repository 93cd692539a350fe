using System.Diagnostics;

namespace Judge.Silo.EndToEndTests;

/// <summary>Open event streams do not hold up a silo that stops.</summary>
public sealed class DashboardShutdownTests
{
    [Fact]
    public async Task A_silo_with_open_event_streams_stops_promptly_and_ends_them()
    {
        var server = new JudgeServer();
        await server.InitializeAsync();
        var streams = new List<EventStream>();
        // A client of its own: the server's client is disposed with it, which would end the streams from this side.
        using var http = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            for (var i = 0; i < 3; i++)
                streams.Add(await EventStream.OpenAsync(http, "/api/events"));
            Assert.All(streams, s => Assert.False(s.Ended));

            var clock = Stopwatch.StartNew();
            await server.DisposeAsync();
            // Kestrel would wait 30 s (the host's shutdown timeout) for streams that did not end by themselves.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
            foreach (var stream in streams)
                await stream.EndedAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
        }
    }
}
