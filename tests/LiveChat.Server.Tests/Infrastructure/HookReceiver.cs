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

    private HookReceiver(WebApplication app) => this.app = app;

    /// <summary>The hook's address; known once the receiver listens (Kestrel picks the port as it binds port 0).</summary>
    public string Url { get; private set; } = "";
    public IReadOnlyList<Call> Calls => calls.ToList();

    public static async Task<HookReceiver> Start(int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Increment(ref receiver.count) <= failFirst ? 500 : 204;
            receiver.calls.Enqueue(new Call(http.Request.Headers["X-LiveChat-Signature"].ToString(), http.Request.Headers["X-LiveChat-Event"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single().TrimEnd('/') + "/hook"; // the address Kestrel bound
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
