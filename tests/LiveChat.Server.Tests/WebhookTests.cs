using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Requests;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>Signed webhooks to a real HTTP receiver on loopback that fails the first attempts: at least once, same event id on every retry.</summary>
public sealed class WebhookTests
{
    private const string Secret = "whsec-0123456789abcdef";

    private static string Sign(string body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    [Fact]
    public async Task EventsArriveSignedAndAreRetriedUntilTheReceiverTakesThem()
    {
        await using var receiver = await HookReceiver.Start(failFirst: 2);
        await using var startsOnly = await HookReceiver.Start(failFirst: 0);
        var settings = EmailTests.Settings();
        settings["LiveChat:Sites:shop:Webhooks:0:Url"] = receiver.Url;
        settings["LiveChat:Sites:shop:Webhooks:0:Secret"] = Secret;
        settings["LiveChat:Sites:shop:Webhooks:1:Url"] = startsOnly.Url;
        settings["LiveChat:Sites:shop:Webhooks:1:Secret"] = Secret + "-other";
        settings["LiveChat:Sites:shop:Webhooks:1:Events:0"] = Events.ConversationStarted;
        await using var server = await TestServer.Start(settings);
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Online(5);
        await using var visitor = await server.Visitor("shop");
        var hello = await visitor.Hello("/contact");

        var message = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("ada@example.com", "hello", "Ada"))).Reference;
        var left = await receiver.Next(c => c.EventType == Events.MessageLeft && c.Status == 204, "message.left accepted");
        Assert.Equal(Sign(left.Body), left.Signature);
        var body = Json(left.Body);
        Assert.Equal((Events.MessageLeft, "shop", message, "ada@example.com"),
            (body.GetProperty("type").GetString(), body.GetProperty("siteId").GetString(), body.GetProperty("data").GetProperty("reference").GetString(), body.GetProperty("data").GetProperty("email").GetString()));
        var eventId = body.GetProperty("id").GetString()!;
        var attempts = receiver.Calls.Where(c => Json(c.Body).GetProperty("id").GetString() == eventId).ToList();
        Assert.Equal([500, 500, 204], attempts.Select(c => c.Status));
        Assert.All(attempts, a => Assert.Equal(left.Body, a.Body)); // byte-identical retries: receivers de-duplicate by id

        var callback = (await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", null, null))).Reference;
        await receiver.Next(c => c.EventType == Events.CallbackRequested && Json(c.Body).GetProperty("data").GetProperty("reference").GetString() == callback, "callback.requested");
        Assert.True(await anna.Connection.InvokeAsync<bool>("MarkCallbackDone", new CallbackDoneRequest("shop", callback)));
        var done = await receiver.Next(c => c.EventType == Events.CallbackDone, "callback.done");
        Assert.Equal("done", Json(done.Body).GetProperty("data").GetProperty("status").GetString());

        Assert.True(await anna.Connection.InvokeAsync<bool>("Invite", new InviteRequest(hello.VisitorId, "Can I help?", "shop")));
        var invitation = await visitor.Invitations.Next();
        await visitor.Accept(invitation.InvitationId);
        await receiver.Next(c => c.EventType == Events.InvitationAccepted, "invitation.accepted");
        var chat = await visitor.StartChat("hi");
        var started = await startsOnly.Next(c => c.EventType == Events.ConversationStarted, "conversation.started to the second hook");
        Assert.Equal(chat.ConversationId, Json(started.Body).GetProperty("data").GetProperty("conversationId").GetString());
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret + "-other"), Encoding.UTF8.GetBytes(started.Body))), started.Signature);
        await anna.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        await anna.Close(chat.ConversationId);
        await receiver.Next(c => c.EventType == Events.ConversationClosed, "conversation.closed");
        Assert.All(startsOnly.Calls, c => Assert.Equal(Events.ConversationStarted, c.EventType)); // it subscribed to that one only
        Assert.All(receiver.Calls, c => Assert.Equal(Sign(c.Body), c.Signature));

        // The delivery log, for admins.
        var cookies = new CookieContainer();
        using var http = server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "anna", password = "pw-anna" })).EnsureSuccessStatusCode();
        var log = await http.GetFromJsonAsync<DeliveryList>("/api/sites/shop/webhooks/deliveries");
        var first = Assert.Single(log!.Deliveries, d => d.EventId == eventId);
        Assert.Equal((MailStatus.Sent, 3, receiver.Url, Events.MessageLeft), (first.Status, first.Attempts, first.Target, first.Purpose));
        Assert.Contains(log.Deliveries, d => d.Purpose == Events.ConversationStarted && d.Target == startsOnly.Url);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/sites/elsewhere/webhooks/deliveries")).StatusCode);
    }

    [Theory]
    [InlineData("LiveChat:Sites:shop:Webhooks:0:Url", "ftp://example.com/hook", "LiveChat:Sites:shop:Webhooks:0:Url must be an absolute http(s) URL")]
    [InlineData("LiveChat:Sites:shop:Webhooks:0:Events:0", "chat.exploded", "LiveChat:Sites:shop:Webhooks:0:Events: unknown event 'chat.exploded'")]
    [InlineData("LiveChat:Email:Smtp:UseTls", "maybe", "LiveChat:Email:Smtp:UseTls must be none, starttls or tls")]
    [InlineData("LiveChat:Sites:shop:Callbacks:SlotMinutes", "2", "LiveChat:Sites:shop:Callbacks:SlotMinutes must be 5-240")]
    public async Task BadConfigurationIsRefusedAtStartNamingTheKey(string key, string value, string error)
    {
        var settings = EmailTests.Settings();
        settings["LiveChat:Sites:shop:Webhooks:0:Url"] = "http://127.0.0.1:9/hook";
        settings["LiveChat:Sites:shop:Webhooks:0:Secret"] = Secret;
        settings[key] = value;
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => { await using var _ = await TestServer.Start(settings); });
        Assert.Contains(error, refused.Message);
    }
}
