using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveChat.Grains;

/// <summary>
/// LiveChat's own spans and metrics (source and meter "LiveChat"; metric names start <c>livechat.</c>).
/// Tags carry ids, sites, rules and situations — never message text or anything a visitor typed.
/// </summary>
public static class Diagnostics
{
    public const string Name = "LiveChat";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly UpDownCounter<long> VisitorsOnline = Meter.CreateUpDownCounter<long>("livechat.visitors.online", "{visitor}", "Visitors with at least one open tab");
    public static readonly Counter<long> InvitationsShown = Meter.CreateCounter<long>("livechat.invitations.shown", "{invitation}", "Invitations sent to visitors, by situation");
    public static readonly Counter<long> InvitationsAccepted = Meter.CreateCounter<long>("livechat.invitations.accepted", "{invitation}");
    public static readonly Counter<long> InvitationsDismissed = Meter.CreateCounter<long>("livechat.invitations.dismissed", "{invitation}");
    public static readonly Histogram<double> InvitationLateness = Meter.CreateHistogram<double>("livechat.invitations.lateness", "ms", "Timer-driven invitations: fired minus due");
    public static readonly Counter<long> PresenceExpired = Meter.CreateCounter<long>("livechat.presence.expired", "{visitor}", "Visitors taken out of the live list because their node stopped renewing its lease (it died)");
    public static readonly Counter<long> PresenceReattached = Meter.CreateCounter<long>("livechat.presence.reattached", "{visitor}", "Connected visitors re-reported by the node holding their connection, after a presence shard restarted empty or a node died");
    public static readonly Counter<long> ChatsStarted = Meter.CreateCounter<long>("livechat.chats.started", "{chat}");
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("livechat.messages", "{message}", "Messages persisted, by sender");
    public static readonly Histogram<double> FirstReply = Meter.CreateHistogram<double>("livechat.chats.first_reply", "s", "Time from chat start to the first agent reply");
    public static readonly Counter<long> ChatsMissed = Meter.CreateCounter<long>("livechat.chats.missed", "{chat}", "Queued chats whose visitor left before an agent answered, by situation");
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("livechat.queue.wait", "s", "Time a chat waited for an agent");
    public static readonly Gauge<int> QueueLength = Meter.CreateGauge<int>("livechat.queue.length", "{chat}", "Chats waiting, per site");
    public static readonly Counter<long> Callbacks = Meter.CreateCounter<long>("livechat.callbacks", "{request}", "Callback requests and left messages");

    public static KeyValuePair<string, object?> Site(string siteId) => new("livechat.site", siteId);
    public static KeyValuePair<string, object?> Situation(string? situation) => new("livechat.situation", situation ?? "(none)");
    public static KeyValuePair<string, object?> Rule(string? ruleId) => new("livechat.rule", ruleId ?? "(none)");
}
