using System.Diagnostics;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using LiveChat.Tests.Mail;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Cluster.Tests;

/// <summary>
/// The outbox across a node's death: a confirmation that could not be sent yet (the mail server is down) is in Redis;
/// its node is SIGKILLed; the survivor's reminder wakes the outbox, and once the mail server is up the mail goes out, once.
/// </summary>
public sealed class OutboxClusterTests
{
    [Fact]
    public async Task APendingMailSurvivesTheDeathOfItsNodeAndIsSentOnce()
    {
        var total = Stopwatch.StartNew();
        void Step(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"[{total.Elapsed.TotalSeconds,5:0.0} s] {what}");
        var smtpPort = SmtpSink.FreePort(); // reserved: nothing listens there until the doomed node is dead
        await using var cluster = await LiveCluster.Start(nodeCount: 2, environment: new Dictionary<string, string>
        {
            ["LiveChat__Email__Smtp__Host"] = "127.0.0.1",
            ["LiveChat__Email__Smtp__Port"] = smtpPort.ToString(),
            ["LiveChat__Email__Smtp__UseTls"] = "none",
            ["LiveChat__Email__From"] = "Shop <service@shop.example>",
            ["LiveChat__Requests__AttemptsPerRound"] = "2",
            ["LiveChat__Requests__RetryDelay"] = "00:00:00.200",
        });
        var (doomed, survivor) = (cluster[0], cluster[1]);
        await using var agent = await cluster.Agent(survivor, survivor);

        // The visitor is on the doomed node, so its request and the site's outbox grains start there.
        var visitor = await cluster.Visitor(doomed);
        await visitor.Hello();
        var reference = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("ada@example.com", "Where is my order?"))).Reference;
        var failing = await Poll(agent, reference, m => m is { Status: MailStatus.Queued, Reason: not null }, TimeSpan.FromSeconds(30));
        Step($"first round failed and is waiting: {failing.Reason}");

        doomed.Kill();
        await visitor.DisposeAsync();
        await using var smtp = await SmtpSink.Start(port: smtpPort);
        Step("node A killed; mail server up");

        var sent = await Poll(agent, reference, m => m.Status == MailStatus.Sent, TimeSpan.FromMinutes(4));
        Step($"sent from the survivor after {sent.Attempts} attempts");
        var mail = await smtp.Next(m => m.MessageId == $"{reference}.confirmation.{LiveCluster.Site}@shop.example", "the confirmation");
        Assert.Equal($"We received your message [{reference}]", mail.Subject);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(smtp.Messages());
    }

    /// <summary>The request's confirmation mail as the agents see it, polled until <paramref name="done"/>.</summary>
    private static async Task<MailView> Poll(ClusterAgent agent, string reference, Func<MailView, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        MailView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var list = await agent.Connection.InvokeAsync<IReadOnlyList<CallbackView>>("GetCallbacks");
                last = list.FirstOrDefault(c => c.Reference == reference)?.Mails?.FirstOrDefault(m => m.Purpose == MailPurpose.Confirmation);
                if (last is not null && done(last)) return last;
            }
            catch (Exception) { } // the cluster is recovering from the dead node
            await Task.Delay(500);
        }
        throw new TimeoutException($"mail of {reference} not as expected within {limit.TotalSeconds} s (last: {last})");
    }
}
