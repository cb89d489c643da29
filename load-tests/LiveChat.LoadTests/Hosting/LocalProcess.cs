using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveChat.LoadTests.Hosting;

/// <summary>What starting a local server process needs: free loopback ports, and waiting until it says it is ready.</summary>
internal static class LocalProcess
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 2xx; fails early, naming the process, if it exits first.</summary>
    public static async Task WaitReadyAsync(Process process, Uri url, string name, string log, TimeSpan limit, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with code {process.ExitCode} before it was ready (see {log})");
            try
            {
                using var response = await http.GetAsync(new Uri(url, "/health/ready"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"{name} was not ready within {limit.TotalSeconds:0} s (GET /health/ready)");
    }
}
