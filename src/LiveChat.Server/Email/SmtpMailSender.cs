using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Requests;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LiveChat.Server.Email;

/// <summary>Sends one <see cref="OutgoingMail"/> over SMTP (MailKit), plain text, with its fixed Message-Id and thread headers.</summary>
internal sealed class SmtpMailSender(IOptions<LiveChatOptions> options)
{
    public async Task Send(OutgoingMail mail, CancellationToken ct)
    {
        var o = options.Value.Email;
        if (!o.Enabled) throw new PermanentDeliveryException("e-mail is not configured (LiveChat:Email:Smtp:Host, LiveChat:Email:From)");
        var message = Build(mail, MailboxAddress.Parse(o.From!));
        using var smtp = new SmtpClient { Timeout = 30_000 };
        await smtp.ConnectAsync(o.Smtp.Host!, o.Smtp.Port, Tls(o.Smtp.UseTls), ct);
        if (o.Smtp.User is { Length: > 0 } user) await smtp.AuthenticateAsync(user, o.Smtp.Password ?? "", ct);
        try { await smtp.SendAsync(message, ct); }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            throw new PermanentDeliveryException($"refused by the mail server: {(int)e.StatusCode} {e.Message}");
        }
        await smtp.DisconnectAsync(true, ct);
    }

    internal static MimeMessage Build(OutgoingMail mail, MailboxAddress from)
    {
        var domain = from.Domain;
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        if (mail.ReplyTo is { Length: > 0 } replyTo) message.ReplyTo.Add(new MailboxAddress(mail.ReplyToName ?? "", replyTo));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.MessageId}@{domain}";
        if (mail.InReplyTo is { Length: > 0 } inReplyTo) message.InReplyTo = $"{inReplyTo}@{domain}";
        foreach (var reference in mail.References ?? []) message.References.Add($"{reference}@{domain}");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain") { Text = mail.Text };
        return message;
    }

    internal static SecureSocketOptions Tls(string mode) => mode switch
    {
        "none" => SecureSocketOptions.None,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
