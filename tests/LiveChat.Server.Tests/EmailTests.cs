using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using LiveChat.Tests.Mail;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;

namespace LiveChat.Server.Tests;

/// <summary>E-mail for real: a real SMTP server (aiosmtpd) on loopback receives the confirmations, team notices, replies and transcripts.</summary>
public sealed class EmailTests
{
    internal static Dictionary<string, string?> Settings(int? smtpPort = null)
    {
        var s = new Dictionary<string, string?>
        {
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:shop:PhoneNumber"] = "+1 555 0123",
            ["LiveChat:Sites:shop:Callbacks:LeadMinutes"] = "0",
            ["LiveChat:Agents:0:Id"] = "anna",
            ["LiveChat:Agents:0:Name"] = "Anna",
            ["LiveChat:Agents:0:Sites:0"] = "shop",
            ["LiveChat:Agents:0:Roles:0"] = "agent",
            ["LiveChat:Agents:0:Roles:1"] = "admin",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("pw-anna"),
            ["LiveChat:Requests:RetryDelay"] = "00:00:00.100",
        };
        if (smtpPort is { } port)
        {
            s["LiveChat:Email:Smtp:Host"] = "127.0.0.1";
            s["LiveChat:Email:Smtp:Port"] = port.ToString();
            s["LiveChat:Email:Smtp:UseTls"] = "none";
            s["LiveChat:Email:From"] = "Example Shop <service@shop.example>";
            s["LiveChat:Sites:shop:TeamEmail"] = "team@shop.example";
        }
        return s;
    }

    private static string Body(MimeMessage m) => m.TextBody ?? "";

    [Fact]
    public async Task ALeftMessageIsConfirmedToTheVisitorAndSentToTheTeamWithReplyToTheVisitor()
    {
        await using var smtp = await SmtpSink.Start();
        await using var server = await TestServer.Start(Settings(smtp.Port));
        await using var anna = await server.Agent("anna", "pw-anna");
        await using var visitor = await server.Visitor("shop");
        var hello = await visitor.Hello("/contact");
        Assert.True(hello.Site.EmailEnabled);

        var reference = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("ada@example.com", "My parcel has not arrived.\nOrder 4711.", "Ada Lovelace"))).Reference;

        var confirmation = await smtp.Next(m => m.To.Mailboxes.Any(a => a.Address == "ada@example.com"), "to the visitor");
        Assert.Equal($"We received your message [{reference}]", confirmation.Subject);
        Assert.Equal($"{reference}.confirmation.shop@shop.example", confirmation.MessageId);
        Assert.Equal("service@shop.example", confirmation.From.Mailboxes.Single().Address);
        Assert.Contains($"Your reference: {reference}", Body(confirmation));
        Assert.Contains("Order 4711.", Body(confirmation));

        var team = await smtp.Next(m => m.To.Mailboxes.Any(a => a.Address == "team@shop.example"), "to the team");
        Assert.Equal($"Message from Ada Lovelace [{reference}]", team.Subject);
        Assert.Equal(("ada@example.com", "Ada Lovelace"), (team.ReplyTo.Mailboxes.Single().Address, team.ReplyTo.Mailboxes.Single().Name));
        Assert.Contains("My parcel has not arrived.", Body(team));
        Assert.Contains($"Reference: {reference}", Body(team));

        // Agents see each mail's status turn to sent.
        var shown = await anna.Callbacks.Next(c => c.Reference == reference && c.Mails is { Count: 2 } mails && mails.All(m => m.Status == MailStatus.Sent), 30);
        Assert.Equal([MailPurpose.Confirmation, MailPurpose.Team], shown.Mails!.Select(m => m.Purpose).Order());
        Assert.Equal(2, smtp.Messages().Count);
    }

    [Fact]
    public async Task AnAgentsReplyReachesTheVisitorThreadedUnderTheReference()
    {
        await using var smtp = await SmtpSink.Start();
        await using var server = await TestServer.Start(Settings(smtp.Port));
        await using var anna = await server.Agent("anna", "pw-anna");
        await using var visitor = await server.Visitor("shop");
        await visitor.Hello("/contact");
        var reference = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("ada@example.com", "Can I return a gift?"))).Reference;
        await smtp.Next(m => (m.Subject ?? "").StartsWith("We received"), "confirmation");

        var replied = await anna.Connection.InvokeAsync<CallbackView>("ReplyToRequest", new ReplyToRequestRequest("shop", reference, "Yes, within 30 days.\n<b>Keep the receipt.</b>"));
        Assert.Equal((RequestStatus.InProgress, "Anna"), (replied.Status, replied.HandledBy));

        var reply = await smtp.Next(m => (m.Subject ?? "").StartsWith("Re:"), "the reply");
        var thread = $"{reference}.confirmation.shop@shop.example";
        Assert.Equal($"Re: We received your message [{reference}]", reply.Subject);
        Assert.Equal(thread, reply.InReplyTo);
        Assert.Equal([thread], reply.References);
        Assert.Equal($"{reference}.reply1.shop@shop.example", reply.MessageId);
        Assert.Equal("ada@example.com", reply.To.Mailboxes.Single().Address);
        Assert.Contains("<b>Keep the receipt.</b>", Body(reply)); // plain text: sent as written, never as HTML
        Assert.Null(reply.HtmlBody);
        Assert.Contains("— Anna", Body(reply));
        var status = await visitor.Connection.InvokeAsync<RequestStatusView>("GetRequestStatus", new RequestStatusRequest(reference));
        Assert.Equal(RequestStatus.InProgress, status.Status);

        var noEmail = (await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", null, null))).Reference;
        var refused = await Assert.ThrowsAsync<HubException>(() => anna.Connection.InvokeAsync<CallbackView>("ReplyToRequest", new ReplyToRequestRequest("shop", noEmail, "hi")));
        Assert.Contains("no e-mail address", refused.Message);
    }

    [Fact]
    public async Task TheTranscriptHasEveryMessageWithItsTimeAndTheAgentsName()
    {
        await using var smtp = await SmtpSink.Start();
        await using var server = await TestServer.Start(Settings(smtp.Port));
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Online(5);
        await using var visitor = await server.Visitor("shop");
        await visitor.Hello("/contact");
        var chat = await visitor.StartChat("Do you ship to Norway?");
        await anna.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        await anna.Send(chat.ConversationId, "We do, in 3-5 days.");
        await visitor.Send("Great, thanks!");

        await visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("ada@example.com"));
        await Task.Delay(300);
        Assert.Empty(smtp.Messages()); // sent when the chat ends, so it holds every message
        await anna.Close(chat.ConversationId);

        var transcript = await smtp.Next(m => (m.Subject ?? "").StartsWith("Your chat transcript"), "the transcript");
        var lines = Body(transcript).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[\d\d:\d\d\] You: Do you ship to Norway\?$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[\d\d:\d\d\] Anna: We do, in 3-5 days\.$"));
        Assert.Contains(lines, l => l.EndsWith("You: Great, thanks!"));
        Assert.Contains(lines, l => l.EndsWith("Anna joined the chat."));
        Assert.Equal("ada@example.com", transcript.To.Mailboxes.Single().Address);

        // Asked again after the chat ended: the same mail (same id) is not sent twice.
        await visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("ada@example.com"));
        await Task.Delay(500);
        Assert.Single(smtp.Messages(), m => (m.Subject ?? "").StartsWith("Your chat transcript"));
    }

    [Fact]
    public async Task ADutchVisitorsMailsAreInDutchAndTheAgentSeesTheLanguageToReplyIn()
    {
        await using var smtp = await SmtpSink.Start();
        var settings = Settings(smtp.Port);
        settings.Remove("LiveChat:Sites:shop:TeamEmail");
        await using var server = await TestServer.Start(settings);
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Online(5);
        await using var visitor = await server.Visitor("shop");
        await visitor.Hello("/contact", languages: ["nl-NL", "en"]);

        // A booked callback: subject, greeting, the booked day in Dutch ("maandag 7 december 2026, 14:30").
        var slots = await visitor.Connection.InvokeAsync<CallbackSlotsResult>("GetCallbackSlots", new CallbackSlotsRequest("Europe/Amsterdam"));
        var at = slots.Slots[0].At;
        var callback = (await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+31 6 1234 5678", "Daan", "Over mijn lening", at, "daan@example.nl"))).Reference;
        var confirmation = await smtp.Next(m => m.Subject == $"Je terugbelverzoek [{callback}]", "the Dutch confirmation");
        string[] days = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"];
        string[] months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
        Assert.StartsWith("Beste Daan,", Body(confirmation));
        Assert.Contains($"We bellen je op +31 6 1234 5678 op {days[(int)at.DayOfWeek]} {at.Day} {months[at.Month - 1]} {at.Year}, {at:HH:mm}", Body(confirmation));
        Assert.Contains($"Je referentie: {callback}", Body(confirmation));
        Assert.Contains("Wat je schreef:", Body(confirmation));
        var pushed = await anna.Callbacks.Next(c => c.Reference == callback, 10);
        Assert.Equal("nl", pushed.Language);

        // An agent's reply says its footer in Dutch too.
        var message = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("daan@example.nl", "Kan ik een cadeau ruilen?"))).Reference;
        await smtp.Next(m => m.Subject == $"We hebben je bericht ontvangen [{message}]", "the Dutch confirmation of a message");
        await anna.Connection.InvokeAsync<CallbackView>("ReplyToRequest", new ReplyToRequestRequest("shop", message, "Ja, binnen 30 dagen."));
        var reply = await smtp.Next(m => (m.Subject ?? "").StartsWith("Re:"), "the reply");
        Assert.Equal($"Re: We hebben je bericht ontvangen [{message}]", reply.Subject);
        Assert.Contains($"Je referentie: {message}. Je kunt op deze e-mail antwoorden.", Body(reply));

        // The transcript: "Jij" for the visitor.
        var chat = await visitor.StartChat("Bezorgen jullie in België?");
        await anna.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        await anna.Send(chat.ConversationId, "Ja, in twee dagen.");
        await visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("daan@example.nl"));
        await anna.Close(chat.ConversationId);
        var transcript = await smtp.Next(m => (m.Subject ?? "").StartsWith("Het verslag van je chat"), "the Dutch transcript");
        Assert.Matches(@"\[\d\d:\d\d\] Jij: Bezorgen jullie in België\?", Body(transcript));
        Assert.StartsWith("Je chat van ", Body(transcript));
    }

    [Fact]
    public void AVisitorsMailLanguageIsTheFirstOfTheirsAMailSpeaksElseEnglish()
    {
        Assert.Equal("nl", LiveChat.Grains.MailText.For(["nl-BE", "en"]).Language);
        Assert.Equal("de", LiveChat.Grains.MailText.For(["ja", "de-AT", "en"]).Language);
        Assert.Equal("fr", LiveChat.Grains.MailText.For(["FR"]).Language);
        Assert.Equal("en", LiveChat.Grains.MailText.For(["ja", "zh-Hant"]).Language);
        Assert.Equal("en", LiveChat.Grains.MailText.For([]).Language);
    }

    [Fact]
    public async Task AMailServerThatRefusesTheFirstAttemptsStillGetsEachMailExactlyOnce()
    {
        await using var smtp = await SmtpSink.Start(refuseFirst: 3);
        var settings = Settings(smtp.Port);
        settings.Remove("LiveChat:Sites:shop:TeamEmail");
        await using var server = await TestServer.Start(settings);
        await using var anna = await server.Agent("anna", "pw-anna");
        await using var visitor = await server.Visitor("shop");
        await visitor.Hello("/contact");

        var slots = await visitor.Connection.InvokeAsync<CallbackSlotsResult>("GetCallbackSlots", new CallbackSlotsRequest("Europe/Amsterdam"));
        var at = slots.Slots[0].At;
        var reference = (await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", "Ada", "About my loan", at, "ada@example.com"))).Reference;

        var confirmation = await smtp.Next(m => m.Subject == $"Your callback request [{reference}]", "after three refusals");
        Assert.Contains("+46 70 123 45 67", Body(confirmation));
        Assert.Contains(at.ToString("HH:mm"), Body(confirmation));
        var sent = await anna.Callbacks.Next(c => c.Reference == reference && c.Mails is [{ Status: MailStatus.Sent }], 30);
        Assert.Equal(4, sent.Mails![0].Attempts); // refused three times (451), accepted the fourth
        Assert.Equal(4, smtp.Attempts);
        await Task.Delay(500);
        Assert.Single(smtp.Messages());
        Assert.Equal(RequestStatus.Scheduled, (await visitor.Connection.InvokeAsync<RequestStatusView>("GetRequestStatus", new RequestStatusRequest(reference))).Status);
    }

    [Fact]
    public async Task WithoutSmtpNothingPromisesEmail()
    {
        await using var server = await TestServer.Start(Settings());
        await using var visitor = await server.Visitor("shop");
        var hello = await visitor.Hello("/contact");
        Assert.False(hello.Site.EmailEnabled);

        var reference = (await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest("ada@example.com", "hello"))).Reference;
        await using var anna = await server.Agent("anna", "pw-anna");
        var listed = Assert.Single(await anna.Connection.InvokeAsync<IReadOnlyList<CallbackView>>("GetCallbacks"));
        Assert.Equal((reference, 0), (listed.Reference, listed.Mails!.Count));
        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("ada@example.com")));
        Assert.Contains("e-mail is not configured", refused.Message);
    }
}
