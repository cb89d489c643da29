using LiveChat.Contracts;
using LiveChat.Engagement;

namespace LiveChat.Grains;

/// <summary>
/// A visitor's invitations as pure changes to <see cref="VisitorState"/>: the caps (one open at a time, none during a
/// chat, the quiet after "no thanks", stopped after repeated dismissals), showing, holding out, accepting, dismissing,
/// and what an order counts for. Each change returns the stat events it causes; <see cref="VisitorGrain"/> records them.
/// </summary>
internal static class InvitationBook
{
    /// <summary>An invitation is on screen or a chat is open: no new invitation.</summary>
    public static bool Engaged(VisitorState s) => s.Pending is not null || s.ConversationId is not null;

    /// <summary>The end of the quiet after a dismissal (or a hold-out), while it lasts; else null.</summary>
    public static DateTimeOffset? QuietUntil(VisitorState s, DateTimeOffset now) => s.QuietUntil is { } quiet && now < quiet ? quiet : null;

    /// <summary>An agent's manual invitation obeys the visitor's caps too: "no thanks" holds for agents.</summary>
    public static bool MayInviteManually(VisitorState s, DateTimeOffset now) =>
        !Engaged(s) && s.DismissalsThisVisit < RuleEvaluator.DismissalsThatStopInvitations && QuietUntil(s, now) is null;

    /// <summary>Shows <paramref name="invitation"/>: it is the open one, and counts towards its rule's caps and cooldown.</summary>
    public static IReadOnlyList<StatEvent> Show(VisitorState s, InvitationView invitation, int? variant, DateTimeOffset now)
    {
        var (ruleId, situation) = (invitation.RuleId, invitation.Situation);
        s.Pending = new PendingInvitation(invitation, now, variant);
        s.Invitations[ruleId] = new InvitationRecord(ShownThisVisit(s, ruleId) + 1, now);
        var first = s.Fired.TryAdd(ruleId, new FiredRule(ruleId, situation, HeldOut: false, variant, now));
        var shown = new StatEvent(StatKind.Shown, ruleId, situation, now, Variant: variant);
        return first ? [new StatEvent(StatKind.Invited, ruleId, situation, now, Variant: variant), shown] : [shown];
    }

    /// <summary>
    /// The rule fired for a visitor of its control group: counted as held out, not invited. Caps and cooldown count it
    /// as shown, the rule is done for this visit, and other rules wait as after a dismissal, so the held-out group is
    /// comparable with the invited one (see src/LiveChat.Engagement/README.md).
    /// </summary>
    public static IReadOnlyList<StatEvent> HoldOut(VisitorState s, Rule rule, DateTimeOffset now, TimeSpan quiet)
    {
        s.Invitations[rule.Id] = new InvitationRecord(ShownThisVisit(s, rule.Id) + 1, now, HeldOut: true);
        s.QuietUntil = now + quiet;
        var first = s.Fired.TryAdd(rule.Id, new FiredRule(rule.Id, rule.Situation, HeldOut: true, Variant: null, now));
        return first ? [new StatEvent(StatKind.HeldOut, rule.Id, rule.Situation, now)] : [];
    }

    /// <summary>The visitor took up the open invitation: the chat they start is counted for it. Null: not the open one.</summary>
    public static PendingInvitation? Accept(VisitorState s, string invitationId)
    {
        if (Open(s, invitationId) is not { } pending) return null;
        s.Pending = null;
        s.Accepted = pending;
        return pending;
    }

    /// <summary>"No thanks": the invitation closes and the quiet starts. Null: not the open one (already gone).</summary>
    public static PendingInvitation? Dismiss(VisitorState s, string invitationId, DateTimeOffset now, TimeSpan quiet)
    {
        if (Open(s, invitationId) is not { } pending) return null;
        s.Pending = null;
        s.DismissalsThisVisit++;
        s.QuietUntil = now + quiet;
        return pending;
    }

    /// <summary>
    /// The visitor starts a chat: the invitation they accepted (if any) is what the chat is about, and any open one is
    /// gone. Returns that invitation; a visitor-initiated chat is about an empty one (no rule, no situation).
    /// </summary>
    public static PendingInvitation? StartChat(VisitorState s, string conversationId, DateTimeOffset now)
    {
        var origin = s.Accepted;
        s.Accepted = null;
        s.Pending = null;
        s.ConversationId = conversationId;
        s.ChattedAbout = origin ?? new PendingInvitation(new InvitationView("", "", null, "", null, []), now);
        return origin;
    }

    /// <summary>
    /// An order: a conversion for this visit's chat (once), and one per rule that fired this visit, on the side
    /// (invited or held out) the visitor was. Empty when nothing is left to count.
    /// </summary>
    public static IReadOnlyList<StatEvent> OrderPlaced(VisitorState s, DateTimeOffset now)
    {
        var stats = new List<StatEvent>();
        if (s.ChattedAbout is { } chat && !s.ConvertedThisVisit)
        {
            s.ConvertedThisVisit = true;
            var ruleId = chat.Invitation.RuleId is { Length: > 0 } r ? r : null; // a visitor-initiated chat has no rule
            stats.Add(new StatEvent(StatKind.Conversion, ruleId, chat.Invitation.Situation, now));
        }
        foreach (var fired in s.Fired.Values.Where(f => !f.Converted).ToList())
        {
            s.Fired[fired.RuleId] = fired with { Converted = true };
            stats.Add(new StatEvent(fired.HeldOut ? StatKind.ConversionHeldOut : StatKind.ConversionInvited, fired.RuleId, fired.Situation, now,
                Variant: fired.HeldOut ? null : fired.Variant));
        }
        return stats;
    }

    private static PendingInvitation? Open(VisitorState s, string invitationId) =>
        s.Pending is { } pending && pending.Invitation.InvitationId == invitationId ? pending : null;

    private static int ShownThisVisit(VisitorState s, string ruleId) => s.Invitations.GetValueOrDefault(ruleId)?.ShownThisVisit ?? 0;
}
