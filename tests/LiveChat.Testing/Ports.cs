using System.Net;
using System.Net.Sockets;

namespace LiveChat.Testing;

/// <summary>Free loopback ports, and polling until something holds.</summary>
public static class Ports
{
    /// <summary>A loopback port nobody listens on right now (another process may take it before it is bound: callers retry).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether a start failed because a chosen port was taken in the meantime (anywhere in the exception's chain).</summary>
    public static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true; // Kestrel's AddressInUseException wraps it
            if (e is AggregateException many && many.InnerExceptions.Any(IsAddressInUse)) return true;
        }
        return false;
    }

    /// <summary>Polls until the condition holds; throws naming what was awaited once the time is up.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, int pollMs = 200, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0} s");
            await Task.Delay(pollMs, ct);
        }
    }
}
