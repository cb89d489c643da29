namespace LiveChat.Server.Configuration;

/// <summary>
/// Embedded mode with no sites configured gets the demo: site <c>demo</c> (any loopback origin), agent
/// <c>demo</c>/<c>demo</c> with the admin role, and the demo shop's rules. Cluster mode never seeds accounts.
/// </summary>
internal static class DemoSeed
{
    public const string SiteId = "demo";
    public const string AgentId = "demo";
    public const string Password = "demo";
    /// <summary>One hash per process, so re-reading the options (a configuration reload) keeps the demo agent's security stamp.</summary>
    private static readonly Lazy<string> DemoHash = new(() => Auth.AgentAccounts.Hash(Password));

    public static void Apply(LiveChatOptions o)
    {
        if (!o.Embedded || o.Sites.Count > 0) return;
        o.Sites[SiteId] = new SiteOptions
        {
            AllowedOrigins = ["loopback"],
            PhoneNumber = "+1 555 0100",
            Currency = "GBP", // the demo shop prices in pounds
            RulesFile = "demo-rules.json",
            CannedResponses =
            [
                new() { Shortcut = "/hi", Text = "Hi! I'm happy to help. What can I do for you?" },
                new() { Shortcut = "/ship", Text = "Orders placed before 3 pm ship the same day; delivery takes 1–2 working days." },
                new() { Shortcut = "/bye", Text = "Thanks for chatting with us. Have a lovely day!" },
            ],
        };
        if (o.Agents.Count == 0)
            o.Agents.Add(new AgentOptions
            {
                Id = AgentId, Name = "Demo Agent", Sites = [SiteId], Roles = ["agent", "admin"],
                PasswordHash = DemoHash.Value,
            });
    }
}
