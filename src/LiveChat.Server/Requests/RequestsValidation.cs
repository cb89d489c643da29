using LiveChat.Contracts;
using LiveChat.Server.Configuration;

namespace LiveChat.Server.Requests;

/// <summary>Start-up checks of the e-mail, callback, webhook and request keys, each error naming its key.</summary>
internal static class RequestsValidation
{
    public static void Global(LiveChatOptions o, List<string> errors)
    {
        var e = o.Email;
        if (e.Smtp.UseTls is not ("none" or "starttls" or "tls")) errors.Add($"LiveChat:Email:Smtp:UseTls must be none, starttls or tls (not '{e.Smtp.UseTls}')");
        if (e.Smtp.Port is < 1 or > 65535) errors.Add("LiveChat:Email:Smtp:Port must be 1-65535");
        if (!string.IsNullOrWhiteSpace(e.Smtp.Host) && string.IsNullOrWhiteSpace(e.From)) errors.Add("LiveChat:Email:From is required when LiveChat:Email:Smtp:Host is set");
        if (e.From is { Length: > 0 } from && !MimeKit.MailboxAddress.TryParse(from, out _)) errors.Add($"LiveChat:Email:From: '{from}' is not an e-mail address");
        var r = o.Requests;
        if (r.OpenPerVisitor < 1) errors.Add("LiveChat:Requests:OpenPerVisitor must be at least 1");
        if (r.OpenPerAddress < 1) errors.Add("LiveChat:Requests:OpenPerAddress must be at least 1");
        if (r.OpenPerSite < 1) errors.Add("LiveChat:Requests:OpenPerSite must be at least 1");
        if (r.DoneRetentionDays < 1) errors.Add("LiveChat:Requests:DoneRetentionDays must be at least 1");
        if (r.AttemptsPerRound is < 1 or > 20) errors.Add("LiveChat:Requests:AttemptsPerRound must be 1-20");
    }

    public static void Site(string id, SiteOptions site, List<string> errors)
    {
        var key = $"LiveChat:Sites:{id}";
        if (site.TeamEmail is { Length: > 0 } team && Check.Email(team, "TeamEmail") is not null) errors.Add($"{key}:TeamEmail: '{team}' is not an e-mail address");
        var c = site.Callbacks;
        if (c.SlotMinutes is < 5 or > 240) errors.Add($"{key}:Callbacks:SlotMinutes must be 5-240");
        if (c.CallsPerSlot is < 1 or > 1000) errors.Add($"{key}:Callbacks:CallsPerSlot must be 1-1000");
        if (c.LeadMinutes is < 0 or > 10_080) errors.Add($"{key}:Callbacks:LeadMinutes must be 0-10080");
        if (c.DaysAhead is < 1 or > 60) errors.Add($"{key}:Callbacks:DaysAhead must be 1-60");
        if (c.MaxSlots is < 1 or > 100) errors.Add($"{key}:Callbacks:MaxSlots must be 1-100");
        for (var i = 0; i < site.Webhooks.Count; i++)
        {
            var h = site.Webhooks[i];
            if (!Uri.TryCreate(h.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) errors.Add($"{key}:Webhooks:{i}:Url must be an absolute http(s) URL");
            if (h.Secret.Length < 16) errors.Add($"{key}:Webhooks:{i}:Secret must be at least 16 characters");
            if (h.Events.FirstOrDefault(ev => !Grains.Events.All.Contains(ev)) is { } unknown)
                errors.Add($"{key}:Webhooks:{i}:Events: unknown event '{unknown}' ({string.Join(", ", Grains.Events.All)})");
        }
    }
}
