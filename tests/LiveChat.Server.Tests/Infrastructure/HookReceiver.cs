using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>A real HTTP receiver for webhooks: a small Kestrel app on loopback that answers 500 to its first N calls.</summary>
public sealed class HookReceiver : IAsyncDisposable
{
    public sealed record Call(string Signature, string EventType, string Body, int Status);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Call> calls = new();
    private int count;

    private HookReceiver(WebApplication app, string url) => (this.app, Url) = (app, url);

    public string Url { get; }
    public IReadOnlyList<Call> Calls => calls.ToList();

    public static async Task<HookReceiver> Start(int failFirst)
    {
        var url = $"http://127.0.0.1:{TestServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HookReceiver(app, url + "/hook");
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Increment(ref receiver.count) <= failFirst ? 500 : 204;
            receiver.calls.Enqueue(new Call(http.Request.Headers["X-LiveChat-Signature"].ToString(), http.Request.Headers["X-LiveChat-Event"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task<Call> Next(Func<Call, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (Calls.FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no webhook call {what} within 30 s; got: {string.Join(", ", Calls.Select(c => $"{c.EventType}/{c.Status}"))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
