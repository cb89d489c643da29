using System.ComponentModel.DataAnnotations;

namespace LiveChat.Server.Configuration;

/// <summary>The <c>LiveChat</c> configuration section, bound once and validated at start-up.</summary>
public sealed class LiveChatOptions
{
    public const string Section = "LiveChat";

    /// <summary>Redis connection string; absent → embedded single-node mode.</summary>
    public string? Redis { get; set; }
    public Dictionary<string, SiteOptions> Sites { get; set; } = new(StringComparer.Ordinal);
    public List<AgentOptions> Agents { get; set; } = [];
    public OrleansOptions Orleans { get; set; } = new();
    public LimitOptions Limits { get; set; } = new();
    public ForwardedHeadersTrustOptions ForwardedHeaders { get; set; } = new();
    /// <summary>Origins the agent console may be opened from besides this server's own (e.g. https://chat.example behind a proxy that rewrites Host).</summary>
    public List<string> ConsoleOrigins { get; set; } = [];
    public Email.EmailOptions Email { get; set; } = new();
    public Requests.RequestOptions Requests { get; set; } = new();

    public bool Embedded => string.IsNullOrWhiteSpace(Redis);
}

public sealed class SiteOptions
{
    /// <summary>Origins allowed to embed the widget (e.g. https://shop.example); "loopback" allows any localhost origin.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
    public string? PhoneNumber { get; set; }
    /// <summary>ISO 4217 code (e.g. <c>EUR</c>) the console shows this site's cart values in; none: plain amounts.</summary>
    public string? Currency { get; set; }
    /// <summary>The language (BCP 47, e.g. <c>nl</c>) visitors get when neither the page nor the browser names one the widget has, and the one site-written text falls back to.</summary>
    public string Language { get; set; } = "en";
    public BusinessHoursOptions? BusinessHours { get; set; }
    [Range(0, 86_400)] public int MaxQueueWaitSeconds { get; set; } = 300;
    /// <summary>A JSON file of seed rules (DESIGN.md section 6), relative to the content root.</summary>
    public string? RulesFile { get; set; }
    public List<CannedResponseOptions> CannedResponses { get; set; } = [];
    /// <summary>Where left messages and callback requests are e-mailed (Reply-To: the visitor).</summary>
    public string? TeamEmail { get; set; }
    public Requests.CallbackOptions Callbacks { get; set; } = new();
    public List<Webhooks.WebhookOptions> Webhooks { get; set; } = [];
}

public sealed class BusinessHoursOptions
{
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Day (mon…sun) → "09:00-17:00".</summary>
    public Dictionary<string, string> Days { get; set; } = [];
}

public sealed class CannedResponseOptions
{
    public string Shortcut { get; set; } = "";
    /// <summary>A string, or per language: <c>"Text": { "nl": "…", "en": "…" }</c> (bound into <see cref="Texts"/>).</summary>
    public string Text { get; set; } = "";
    /// <summary>The same key as <see cref="Text"/>, read as language → text when it is an object.</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("Text")]
    public Dictionary<string, string> Texts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The text as the site wrote it: one string or one per language.</summary>
    public Engagement.LocalizedText Localized => Texts.Count > 0 ? Engagement.LocalizedText.Of(Texts) : Engagement.LocalizedText.Of(Text);
}

public sealed class AgentOptions
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Sites { get; set; } = [];
    /// <summary>"agent" and/or "admin".</summary>
    public List<string> Roles { get; set; } = ["agent"];
    /// <summary>An ASP.NET Core Identity password hash (see README: how to make one).</summary>
    public string PasswordHash { get; set; } = "";
}

/// <summary>Flood limits for the public doors.</summary>
public sealed class LimitOptions
{
    /// <summary>Open hub connections (WebSocket or SSE) per client IP.</summary>
    [Range(1, 1_000_000)] public int ConnectionsPerIp { get; set; } = 100;
    /// <summary>Loopback clients (a reverse proxy on the same host without forwarded headers, load tests) are not capped.</summary>
    public bool ExemptLoopback { get; set; } = true;
    /// <summary>
    /// Connections this node accepts at once. Above it Kestrel closes new connections at once instead of the process
    /// running out of file descriptors (which kills it and drops everyone): keep it ~1,500 under the open-file limit.
    /// </summary>
    [Range(1, 10_000_000)] public int MaxConnections { get; set; } = 18_000;
    /// <summary>Hub calls per second per connection, and the burst allowed above it.</summary>
    [Range(1, 100_000)] public int HubCallsPerSecond { get; set; } = 20;
    [Range(1, 100_000)] public int HubCallBurst { get; set; } = 40;
    /// <summary>A signed-in agent serves several chats at once, so their console may call far more often.</summary>
    [Range(1, 100_000)] public int AgentHubCallsPerSecond { get; set; } = 200;
    [Range(1, 100_000)] public int AgentHubCallBurst { get; set; } = 400;
    /// <summary>New visitor identities (a Hello without a valid token) per client IP per minute (per node).</summary>
    [Range(1, 1_000_000)] public int NewVisitorsPerIpPerMinute { get; set; } = 60;
    /// <summary>Chats open at once from one client IP (per node): an office or a carrier's NAT has several real ones.</summary>
    [Range(1, 1_000_000)] public int OpenChatsPerIp { get; set; } = 10;
}

public sealed class OrleansOptions
{
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>The address other silos reach this one at; default: loopback when embedded, else the first non-loopback IPv4.</summary>
    public string? AdvertisedIP { get; set; }
    public string ClusterId { get; set; } = "livechat";
    public string ServiceId { get; set; } = "livechat";
}

/// <summary>
/// Which peers may say who the client really is (X-Forwarded-For) and how it connected (X-Forwarded-Proto): the load
/// balancers in front of the nodes. Headers from any other peer are ignored, so a visitor cannot pick an address.
/// </summary>
public sealed class ForwardedHeadersTrustOptions
{
    /// <summary>Proxy addresses, e.g. 10.0.0.5 or fd00::5.</summary>
    public List<string> KnownProxies { get; set; } = [];
    /// <summary>Proxy networks in CIDR notation, e.g. 10.0.0.0/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];
    /// <summary>Loopback (127.0.0.0/8, ::1) is trusted besides the lists, as ASP.NET Core does: a proxy on the same host.</summary>
    public bool TrustLoopback { get; set; } = true;
    /// <summary>Entries read from the right of X-Forwarded-For: one per trusted proxy the request passes through.</summary>
    public int ForwardLimit { get; set; } = 1;
}
