using Microsoft.Extensions.Options;

namespace LiveChat.Server.Configuration;

/// <summary>Refuses to start on configuration that cannot work, naming the bad key.</summary>
internal sealed class LiveChatOptionsValidator(IHostEnvironment env) : IValidateOptions<LiveChatOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveChatOptions o)
    {
        var errors = new List<string>();
        if (o.Sites.Count == 0) errors.Add("LiveChat:Sites: at least one site is required");
        foreach (var (id, site) in o.Sites)
        {
            if (!IsId(id)) errors.Add($"LiveChat:Sites:{id}: a site id is 1-64 letters, digits, '-' or '_'");
            if (site.RulesFile is { } file && !File.Exists(Path.Combine(env.ContentRootPath, file)))
                errors.Add($"LiveChat:Sites:{id}:RulesFile: '{file}' does not exist");
            if (site.BusinessHours is { } hours && !TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out _))
                errors.Add($"LiveChat:Sites:{id}:BusinessHours:TimeZone: unknown time zone '{hours.TimeZone}'");
            if (site.Currency is { } currency && !IsCurrency(currency))
                errors.Add($"LiveChat:Sites:{id}:Currency: '{currency}' must be an ISO 4217 code of three capital letters, such as EUR or USD");
            if (!Engagement.LocalizedText.IsLanguageTag(site.Language))
                errors.Add($"LiveChat:Sites:{id}:Language: '{site.Language}' is not a language tag (BCP 47, e.g. nl, en, de-AT)");
            for (var i = 0; i < site.CannedResponses.Count; i++)
                if (site.CannedResponses[i].Localized.Validate($"LiveChat:Sites:{id}:CannedResponses:{i}:Text", 4000) is { } canned) errors.Add(canned);
            Requests.RequestsValidation.Site(id, site, errors);
        }
        for (var i = 0; i < o.Agents.Count; i++)
        {
            var a = o.Agents[i];
            var key = $"LiveChat:Agents:{i}";
            if (!IsId(a.Id)) errors.Add($"{key}:Id: 1-64 letters, digits, '-' or '_'");
            if (string.IsNullOrWhiteSpace(a.PasswordHash)) errors.Add($"{key}:PasswordHash is required");
            if (a.Sites.FirstOrDefault(s => !o.Sites.ContainsKey(s)) is { } unknown) errors.Add($"{key}:Sites: unknown site '{unknown}'");
            if (a.Roles.FirstOrDefault(r => r is not ("agent" or "admin")) is { } role) errors.Add($"{key}:Roles: unknown role '{role}'");
        }
        if (o.Agents.GroupBy(a => a.Id).FirstOrDefault(g => g.Count() > 1) is { } dup) errors.Add($"LiveChat:Agents: id '{dup.Key}' is used twice");
        if (!o.Embedded && o.Agents.Any(a => Auth.AgentAccounts.IsDemoPassword(a)))
            errors.Add("LiveChat:Agents: an agent has the demo password; cluster mode refuses to start with it");
        Requests.RequestsValidation.Global(o, errors);
        if (o.Orleans.SiloPort is < 1 or > 65535) errors.Add("LiveChat:Orleans:SiloPort must be 1-65535");
        if (o.Orleans.GatewayPort is < 1 or > 65535) errors.Add("LiveChat:Orleans:GatewayPort must be 1-65535");
        errors.AddRange(Hosting.ForwardedHeaders.Validate(o.ForwardedHeaders));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The shape of an ISO 4217 code (the server runs with invariant globalization, so no culture list to check).</summary>
    private static bool IsCurrency(string code) => code.Length == 3 && code.All(char.IsAsciiLetterUpper);

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
