using System.Globalization;
using System.Text;
using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// The e-mails of a request, as plain text. Every mail's id is derived from the request's reference, so a mail
/// can be queued twice without being sent twice, and replies thread under the visitor's confirmation.
/// </summary>
public static class RequestMails
{
    public static string ConfirmationId(CallbackView r) => $"{r.Reference}.confirmation.{r.SiteId}";

    public static IReadOnlyList<OutboxItem> ForNew(CallbackView r, string? teamEmail, TimeZoneInfo zone)
    {
        var items = new List<OutboxItem>();
        if (r.Email is { Length: > 0 } email && r.Kind != RequestKinds.MissedChat)
            items.Add(Item(r, MailPurpose.Confirmation, new OutgoingMail(email, r.Name, null, null, ConfirmationSubject(r), ConfirmationText(r, zone), ConfirmationId(r))));
        if (teamEmail is { Length: > 0 } team)
        {
            var subject = r.Kind switch
            {
                RequestKinds.Callback => $"Callback requested: {r.Phone} [{r.Reference}]",
                RequestKinds.MissedChat => $"Missed chat [{r.Reference}]",
                _ => $"Message from {r.Name ?? r.Email} [{r.Reference}]",
            };
            items.Add(Item(r, MailPurpose.Team, new OutgoingMail(team, null, r.Email, r.Name, subject, TeamText(r, zone), $"{r.Reference}.team.{r.SiteId}")));
        }
        return items;
    }

    public static OutboxItem Reply(CallbackView r, int number, string agentName, string text)
    {
        var thread = ConfirmationId(r);
        var body = new StringBuilder()
            .AppendLine(text).AppendLine()
            .AppendLine($"— {agentName}").AppendLine()
            .AppendLine(MailText.For([r.Language]).ReplyFooter(r.Reference))
            .ToString();
        var mail = new OutgoingMail(r.Email!, r.Name, null, null, "Re: " + ConfirmationSubject(r), body, $"{r.Reference}.reply{number}.{r.SiteId}", thread, [thread]);
        return Item(r, MailPurpose.Reply, mail);
    }

    /// <summary>In the visitor's language (<see cref="CallbackView.Language"/>), as every mail to the visitor.</summary>
    public static string ConfirmationSubject(CallbackView r) => r.Kind == RequestKinds.Callback
        ? MailText.For([r.Language]).CallbackSubject(r.Reference)
        : MailText.For([r.Language]).MessageSubject(r.Reference);

    private static string ConfirmationText(CallbackView r, TimeZoneInfo zone)
    {
        var say = MailText.For([r.Language]);
        var b = new StringBuilder().AppendLine(say.Greeting(r.Name)).AppendLine();
        if (r.Kind == RequestKinds.Callback)
            b.AppendLine(r.At is { } at ? say.CallAt(r.Phone ?? "", AsBooked(at, say)) : say.CallSoon(r.Phone ?? ""));
        else b.AppendLine(say.MessageReceived);
        b.AppendLine().AppendLine(say.YourReference(r.Reference));
        if (r.Text is { Length: > 0 } text) b.AppendLine().AppendLine(say.YouWrote).AppendLine(text);
        return b.ToString();
    }

    private static string TeamText(CallbackView r, TimeZoneInfo zone)
    {
        var b = new StringBuilder()
            .AppendLine($"Reference: {r.Reference}")
            .AppendLine($"Kind: {r.Kind}")
            .AppendLine($"Received: {Format(r.CreatedAt, zone)}");
        if (r.At is { } at) b.AppendLine($"Call at: {Format(at, zone)}");
        if (r.Name is { Length: > 0 }) b.AppendLine($"Name: {r.Name}");
        if (r.Phone is { Length: > 0 }) b.AppendLine($"Phone: {r.Phone}");
        if (r.Email is { Length: > 0 }) b.AppendLine($"E-mail: {r.Email} (reply to this mail to answer)");
        b.AppendLine($"Visitor: {r.VisitorId}");
        if (r.Text is { Length: > 0 } text) b.AppendLine().AppendLine(text);
        return b.ToString();
    }

    /// <summary>The whole chat: every message with its time and who wrote it, in the first of the visitor's languages that a mail speaks.</summary>
    public static OutboxItem Transcript(ConversationView c, string email, TimeZoneInfo zone, IEnumerable<string>? languages = null)
    {
        var say = MailText.For(languages);
        var b = new StringBuilder().AppendLine(say.TranscriptTitle(Format(c.StartedAt, zone, say))).AppendLine();
        foreach (var m in c.Messages)
        {
            var who = m.From switch
            {
                Senders.Visitor => say.You,
                Senders.Agent => m.SenderName ?? say.Agent,
                _ => "—",
            };
            b.AppendLine($"[{TimeZoneInfo.ConvertTime(m.SentAt, zone).ToString("HH:mm", CultureInfo.InvariantCulture)}] {who}: {m.Text}");
        }
        var mail = new OutgoingMail(email, null, null, null, say.TranscriptSubject(TimeZoneInfo.ConvertTime(c.StartedAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), b.ToString(), $"{c.ConversationId}.transcript.{c.SiteId}");
        return new OutboxItem { Key = mail.MessageId, Channel = OutboxChannel.Mail, Purpose = MailPurpose.Transcript, Target = email, Mail = mail };
    }

    /// <summary>A booked time in the offset the visitor picked it in (slots are offered in the visitor's zone).</summary>
    public static string AsBooked(DateTimeOffset at, MailText? say = null) =>
        (say ?? MailText.English).DateTime(at) + (at.Offset == TimeSpan.Zero ? " (UTC)" : $" (UTC{at.ToString("zzz", CultureInfo.InvariantCulture)})");

    public static string Format(DateTimeOffset at, TimeZoneInfo zone, MailText? say = null) =>
        (say ?? MailText.English).DateTime(TimeZoneInfo.ConvertTime(at, zone)) + $" ({zone.Id})";

    private static OutboxItem Item(CallbackView r, string purpose, OutgoingMail mail) =>
        new() { Key = mail.MessageId, Channel = OutboxChannel.Mail, Purpose = purpose, Target = mail.To, RequestReference = r.Reference, Mail = mail };
}
