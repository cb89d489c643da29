using Microsoft.AspNetCore.SignalR.Client;
using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace LiveChat.Server.Tests;

/// <summary>Traces through the in-memory exporter and metrics through the real /metrics endpoint.</summary>
public sealed class ObservabilityTests
{
    private static async Task<(TestServer Server, List<Activity> Spans)> Start()
    {
        var spans = new List<Activity>();
        var server = await TestServer.Start(new Dictionary<string, string?> { ["LiveChat:Tracing"] = "true" }, configure: b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        return (server, spans);
    }

    private static List<Activity> Snapshot(List<Activity> spans) { lock (spans) return spans.ToList(); }

    private static async Task<List<Activity>> WaitFor(List<Activity> spans, Func<List<Activity>, bool> done)
    {
        for (var i = 0; i < 100; i++)
        {
            var now = Snapshot(spans);
            if (done(now)) return now;
            await Task.Delay(100);
        }
        return Snapshot(spans);
    }

    [Fact]
    public async Task AMessageIsOneTraceFromTheHubThroughTheGrainsToPersistence()
    {
        var (server, spans) = await Start();
        await using var _ = server;
        var (visitor, agent, conversationId) = await server.ChatWithAgent(firstText: null);
        await using var __ = visitor;
        await using var ___ = agent;

        var ack = await visitor.Send("where is my parcel?");

        // The listener hears every server in this test process: pick this chat's span by its conversation too.
        bool Ours(Activity a) => a.OperationName == "livechat.message.persist" && (long?)a.GetTagItem("livechat.sequence") == ack.Sequence
            && Equals(a.GetTagItem("livechat.conversation"), conversationId);
        var all = await WaitFor(spans, s => s.Any(Ours));
        var persist = all.Single(Ours);
        var trace = all.Where(a => a.TraceId == persist.TraceId).ToList();
        Assert.Contains(trace, a => a.Source.Name == "Microsoft.AspNetCore.SignalR.Server");
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans"));
        Assert.Equal(conversationId, persist.GetTagItem("livechat.conversation"));
    }

    [Fact]
    public async Task NoMessageTextOrVisitorInputInAnySpan()
    {
        var (server, spans) = await Start();
        await using var _ = server;
        var (visitor, agent, conversationId) = await server.ChatWithAgent("secret-text-4711 my card number");
        await using var __ = visitor;
        await using var ___ = agent;
        await visitor.Send("another secret-text-4711");
        await agent.Send(conversationId, "agent says secret-text-4711");
        await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 471 14 71", "Secret Name", "secret-text-4711"));

        var all = await WaitFor(spans, s => s.Count(a => a.OperationName == "livechat.message.persist") >= 3);

        Assert.True(all.Count(a => a.OperationName == "livechat.message.persist") >= 3);
        foreach (var span in all)
            foreach (var (key, value) in span.TagObjects)
            {
                var text = value?.ToString() ?? "";
                Assert.DoesNotContain("secret-text-4711", text);
                Assert.DoesNotContain("Secret Name", text);
                Assert.DoesNotContain("471 14 71", text);
            }
    }

    [Fact]
    public async Task InvitationMetricsMoveWhenARuleFires()
    {
        await using var server = await TestServer.Start();
        await server.PutRules("""[{ "id": "metric-rule", "situation": "Metric situation", "when": { "pageMatches": "/metrics-page*" }, "then": { "text": "Hi" }, "onlyIfAgentAvailable": false }]""");
        await using var visitor = await server.Visitor();
        await visitor.Hello("/metrics-page");
        var invitation = await visitor.Invitations.Next();
        await visitor.Dismiss(invitation.InvitationId);

        using var http = server.Http();
        string metrics = "";
        for (var i = 0; i < 50 && !metrics.Contains("livechat_invitations_dismissed"); i++)
        {
            metrics = await http.GetStringAsync("/metrics");
            if (!metrics.Contains("livechat_invitations_dismissed")) await Task.Delay(200);
        }

        Assert.Matches("livechat_invitations_shown_total\\{[^}]*livechat_situation=\"Metric situation\"[^}]*\\} 1", metrics);
        Assert.Contains("livechat_invitations_dismissed_total", metrics);
        Assert.Contains("livechat_visitors_online", metrics);
    }
}
