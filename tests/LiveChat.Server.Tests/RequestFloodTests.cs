using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>
/// Issue 17, item 3: a flood of 2,100 requests used to evict real customers' requests from a 2,000-entry ring in the
/// site grain and slow everyone's StartChat. Now every request with a reference is kept, and a bystander's chat is
/// served by the site grain, which no request touches. The bystander's StartChat times are reported, not asserted.
/// </summary>
public sealed class RequestFloodTests
{
    [Fact]
    public async Task AFloodOf2100RequestsLosesNoneWithAReferenceAndABystanderStillChats()
    {
        var settings = EmailTests.Settings();
        settings["LiveChat:Requests:OpenPerVisitor"] = "1000";
        settings["LiveChat:Requests:OpenPerAddress"] = "100000";
        settings["LiveChat:Limits:HubCallsPerSecond"] = "100000";
        settings["LiveChat:Limits:HubCallBurst"] = "100000";
        await using var server = await TestServer.Start(settings);
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Online(50);

        var baseline = new List<double>();
        for (var i = 0; i < 5; i++) baseline.Add(await BystanderStartChat(server, anna));

        const int Connections = 10, PerConnection = 210;
        var flooders = new List<TestVisitor>();
        for (var i = 0; i < Connections; i++)
        {
            var v = await server.Visitor("shop");
            await v.Hello("/contact");
            flooders.Add(v);
        }
        var flood = Task.WhenAll(flooders.Select(async (v, n) =>
        {
            var refs = new List<string>();
            for (var i = 0; i < PerConnection; i++)
                refs.Add((await v.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest($"flood{n}@example.com", $"flood {n}/{i}"))).Reference);
            return refs;
        }));
        var during = new List<double>();
        while (!flood.IsCompleted && during.Count < 20) during.Add(await BystanderStartChat(server, anna));
        var references = (await flood).SelectMany(r => r).ToList();
        foreach (var v in flooders) await v.DisposeAsync();

        Assert.Equal(Connections * PerConnection, references.Distinct().Count());
        var listed = new HashSet<string>();
        var page = await anna.Connection.InvokeAsync<IReadOnlyList<CallbackView>>("GetCallbacks");
        Assert.Equal(200, page.Count); // bounded: the newest 200 open ones at start-up
        while (page.Count > 0)
        {
            foreach (var c in page) listed.Add(c.Reference);
            page = await anna.Connection.InvokeAsync<IReadOnlyList<CallbackView>>("GetCallbacksPage", new CallbacksPageRequest(page.Min(c => c.CreatedAt), Done: false, Limit: 200));
        }
        Assert.Empty(references.Except(listed)); // every request that was given a reference is still there

        var report = $"requests flood: {references.Count} requests from {Connections} connections, all {listed.Count} listed; " +
            $"bystander StartChat ms: baseline median {Median(baseline):F1} (n={baseline.Count}), during flood median {Median(during):F1} max {during.DefaultIfEmpty().Max():F1} (n={during.Count})";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Artifacts.Write("requests-flood.txt", report);
        Assert.NotEmpty(during); // the bystander was measured while the flood ran
    }

    private static async Task<double> BystanderStartChat(TestServer server, TestAgent anna)
    {
        await using var bystander = await server.Visitor("shop");
        await bystander.Hello("/checkout");
        var watch = Stopwatch.StartNew();
        var chat = await bystander.StartChat("I need help with my order");
        watch.Stop();
        Assert.Null(chat.QueuePosition); // served at once: routed to Anna
        await anna.Close(chat.ConversationId);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);
}

/// <summary>Measurements go to the repo's ignored <c>artifacts/</c> folder, so a run leaves <c>git status</c> clean.</summary>
internal static class Artifacts
{
    public static void Write(string name, string text)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) dir = dir.Parent;
        if (dir is null) return;
        var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts"));
        File.WriteAllText(Path.Combine(folder.FullName, name), text + Environment.NewLine);
    }
}
