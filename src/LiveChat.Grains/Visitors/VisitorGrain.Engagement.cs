using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// The proactive part of the visitor grain: after every event it asks the rule evaluator what is due,
/// shows it, or arms exactly one timer for the earliest instant something could become due. No polling.
/// </summary>
internal sealed partial class VisitorGrain
{
    public const string ManualRuleId = "manual";

    private IGrainTimer? ruleTimer;
    /// <summary>The instant the rule timer was armed for, to measure how late timer-driven invitations are.</summary>
    private DateTimeOffset? armedFor;

    public async Task AcceptInvitation(string invitationId)
    {
        if (S.Pending is not { } pending || pending.Invitation.InvitationId != invitationId)
            throw new RefusedException("that invitation is not open");
        S.Pending = null;
        S.Accepted = pending;
        AddJourney(clock.GetUtcNow(), "invitation", $"accepted '{pending.Invitation.Situation ?? pending.Invitation.RuleId}'");
        RecordStat(new StatEvent(StatKind.Accepted, pending.Invitation.RuleId, pending.Invitation.Situation, clock.GetUtcNow(), Variant: pending.Variant));
        await Save();
        Diagnostics.InvitationsAccepted.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(pending.Invitation.Situation), Diagnostics.Rule(pending.Invitation.RuleId));
        await InvitationAccepted(pending.Invitation);
    }

    public async Task DismissInvitation(string invitationId)
    {
        if (S.Pending is not { } pending || pending.Invitation.InvitationId != invitationId) return; // already gone: nothing to undo
        var now = clock.GetUtcNow();
        S.Pending = null;
        S.DismissalsThisVisit++;
        S.QuietUntil = now + timings.Value.QuietAfterDismiss;
        AddJourney(now, "invitation", $"dismissed '{pending.Invitation.Situation ?? pending.Invitation.RuleId}'");
        RecordStat(new StatEvent(StatKind.Dismissed, pending.Invitation.RuleId, pending.Invitation.Situation, now));
        await Save();
        Diagnostics.InvitationsDismissed.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(pending.Invitation.Situation), Diagnostics.Rule(pending.Invitation.RuleId));
        await Evaluate();
        await PublishSummary();
    }

    public async Task<bool> Invite(string text, string agentName)
    {
        if (connections.Count == 0 || S.Pending is not null || S.ConversationId is not null
            || S.DismissalsThisVisit >= RuleEvaluator.DismissalsThatStopInvitations
            || S.QuietUntil is { } quiet && clock.GetUtcNow() < quiet) // "no thanks" holds for agents too
            return false;
        await Show(ManualRuleId, "Manual invitation", text, Offers.All, agentName);
        return true;
    }

    /// <summary>Shows what is due now, or arms the one timer for when something could be.</summary>
    private async Task Evaluate()
    {
        if (connections.Count == 0 || S.Pending is not null || S.ConversationId is not null) { Disarm(); return; }
        var now = clock.GetUtcNow();
        if (S.QuietUntil is { } quiet && now < quiet) { Arm(quiet); return; }

        var site = await directory.Get(SiteId);
        var snapshot = Snapshot();
        var context = new EngagementContext(AgentAvailable: true, site.Hours.IsOpen(now), OutageCoversPage) { BusinessHoursChangeAt = site.Hours.NextChange(now) };
        var decision = RuleEvaluator.Evaluate(site.Rules, snapshot, context, now);
        // The availability pushed to this node (SiteDirectory): current once the change's push has arrived, else at most SiteRefresh old.
        if (decision.Due is { OnlyIfAgentAvailable: true } && !site.AgentAvailable)
            decision = RuleEvaluator.Evaluate(site.Rules, snapshot, context with { AgentAvailable = false }, now);

        if (decision.Due is not { } rule) { Arm(decision.NextCheckAt); return; }
        if (decision.HeldOut) { await HoldOut(rule, now); Arm(S.QuietUntil); return; }
        // Shown before disarming, so the lateness of a timer-driven invitation can still be measured.
        await Show(rule.Id, rule.Situation, decision.TextIn(S.Languages), rule.Then.Offers ?? Offers.All, agentName: null, decision.Variant);
        Disarm();
    }

    /// <summary>
    /// The rule fired for a visitor of its control group: counted as held out, not invited. Caps and cooldown count it
    /// as shown, the rule is done for this visit, and other rules wait as after a dismissal, so the held-out group is
    /// comparable with the invited one (see src/LiveChat.Engagement/README.md).
    /// </summary>
    private async Task HoldOut(Rule rule, DateTimeOffset now)
    {
        S.Invitations[rule.Id] = new InvitationRecord((S.Invitations.GetValueOrDefault(rule.Id)?.ShownThisVisit ?? 0) + 1, now, HeldOut: true);
        S.QuietUntil = now + timings.Value.QuietAfterDismiss;
        var first = S.Fired.TryAdd(rule.Id, new FiredRule(rule.Id, rule.Situation, HeldOut: true, Variant: null, now));
        AddJourney(now, "invitation", $"held out of '{rule.Situation ?? rule.Id}' (control group, not invited)");
        if (first) RecordStat(new StatEvent(StatKind.HeldOut, rule.Id, rule.Situation, now));
        await Save();
    }

    private async Task Show(string ruleId, string? situation, string text, IReadOnlyList<string> offers, string? agentName, int? variant = null)
    {
        var now = clock.GetUtcNow();
        using var span = Diagnostics.Source.StartActivity("livechat.invitation");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.rule", ruleId).SetTag("livechat.situation", situation).SetTag("livechat.visitor", VisitorId);
        if (armedFor is { } due && due <= now) Diagnostics.InvitationLateness.Record((now - due).TotalMilliseconds, Diagnostics.Site(SiteId), Diagnostics.Rule(ruleId));
        Diagnostics.InvitationsShown.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(situation), Diagnostics.Rule(ruleId));
        // A plain array: Offers.All is a compiler-made read-only list that the JSON grain storage (Redis) writes but cannot read back.
        var invitation = new InvitationView(Keys.NewId("inv"), ruleId, situation, text, agentName, offers.ToArray());
        S.Pending = new PendingInvitation(invitation, now, variant);
        S.Invitations[ruleId] = new InvitationRecord((S.Invitations.GetValueOrDefault(ruleId)?.ShownThisVisit ?? 0) + 1, now);
        var first = S.Fired.TryAdd(ruleId, new FiredRule(ruleId, situation, HeldOut: false, variant, now));
        AddJourney(now, "invitation", $"shown '{situation ?? ruleId}'");
        if (first) RecordStat(new StatEvent(StatKind.Invited, ruleId, situation, now, Variant: variant));
        RecordStat(new StatEvent(StatKind.Shown, ruleId, situation, now, Variant: variant));
        await Save();
        await notifier.Invitation(SiteId, VisitorId, invitation);
        await PublishSummary();
        log.LogDebug("Invitation {RuleId} to {VisitorId}", ruleId, VisitorId);
    }

    private void Arm(DateTimeOffset? at)
    {
        if (at is not { } instant) { Disarm(); return; }
        armedFor = instant;
        var due = instant - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (ruleTimer is null)
            ruleTimer = this.RegisterGrainTimer(OnRuleTimer, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        else
            ruleTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Disarm()
    {
        armedFor = null;
        ruleTimer?.Dispose();
        ruleTimer = null;
    }

    private async Task OnRuleTimer(CancellationToken _)
    {
        using var span = Diagnostics.Source.StartActivity("livechat.rules.timer");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.visitor", VisitorId);
        await Evaluate();
    }

    private VisitorSnapshot Snapshot() => new()
    {
        VisitorId = VisitorId,
        PagePathAndQuery = S.Url is null ? "/" : Utm.PathAndQuery(S.Url),
        PageEnteredAt = S.PageEnteredAt,
        VisibleTimeBanked = S.VisibleBanked,
        VisibleSince = S.VisibleSince,
        PagesThisVisit = S.PagesThisVisit,
        Visit = S.Visits,
        Referrer = S.Referrer,
        UtmCampaign = S.UtmCampaign,
        CartValue = CartOf(S.Cart).Value,
        LastEventAt = S.LastEventAt,
        LastActivityAt = S.LastActivityAt,
        History = S.Invitations.ToDictionary(kv => kv.Key, kv => new RuleHistory(kv.Value.ShownThisVisit, kv.Value.LastShownAt, kv.Value.HeldOut)),
        DismissalsThisVisit = S.DismissalsThisVisit,
        Engaged = S.Pending is not null || S.ConversationId is not null,
    };
}
