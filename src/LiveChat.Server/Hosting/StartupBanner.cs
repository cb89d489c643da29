using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Hosting;

/// <summary>Says where to go once the server listens, and plainly whether anything survives a restart.</summary>
internal sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IOptions<LiveChatOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/') ?? "http://localhost:5000";
        var o = options.Value;
        var lines = new List<string> { "", "LiveChat is running." };
        if (o.Sites.ContainsKey(DemoSeed.SiteId) && o.Embedded)
        {
            lines.Add($"  Demo shop:      {url}/demo/");
            lines.Add($"  Agent console:  {url}/agent");
            lines.Add($"  Demo sign-in:   {url}/agent/login  (agent id: {DemoSeed.AgentId}, password: {DemoSeed.Password})");
        }
        else lines.Add($"  Agent console:  {url}/agent");
        lines.Add($"  Widget:         {url}/widget.js    Health: {url}/health/ready    Metrics: {url}/metrics");
        lines.Add(o.Embedded
            ? "  EMBEDDED MODE: one node, everything in memory. Nothing is kept after a restart. Set LiveChat:Redis for a durable cluster."
            : "  CLUSTER MODE: Redis backplane, clustering and persistence.");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
