using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// What came of the visit, for the per-situation stats: orders after a rule fired (invited or held out), the way the
/// visitor reached out, repeat contacts (same visitor, or same phone/e-mail within 7 days), resolution and rating.
/// </summary>
internal sealed partial class VisitorGrain
{
    private const int ContactsKept = 20;
    private const int IdentitiesKept = 10;

    /// <summary>An order: one conversion per rule that fired this visit, on the side (invited or held out) the visitor was.</summary>
    /// <returns>Whether anything was counted (the caller saves).</returns>
    private bool CountConversions(DateTimeOffset now)
    {
        var counted = false;
        foreach (var fired in S.Fired.Values.Where(f => !f.Converted).ToList())
        {
            S.Fired[fired.RuleId] = fired with { Converted = true };
            RecordStat(new StatEvent(fired.HeldOut ? StatKind.ConversionHeldOut : StatKind.ConversionInvited, fired.RuleId, fired.Situation, now,
                Variant: fired.HeldOut ? null : fired.Variant));
            counted = true;
        }
        return counted;
    }

    public async Task ReportContact(string channel)
    {
        if (channel != ContactChannels.Phone) throw new RefusedException("channel must be \"phone\"");
        var now = clock.GetUtcNow();
        AddJourney(now, "phone", "clicked the phone number");
        await Contacted(ContactChannels.Phone, Keys.NewId("tel"), now);
    }

    public async Task Rate(string conversationId, int score, string? comment)
    {
        // Only the visitor of that conversation: their own grain must know it, and the conversation checks again.
        if (S.ConversationId != conversationId && !S.PastConversations.Contains(conversationId))
            throw new RefusedException("conversationId: no such conversation");
        var rated = await grains.GetGrain<IConversationGrain>(conversationId).Rate(VisitorId, score, comment);
        var now = clock.GetUtcNow();
        var note = S.Contacts.Find(c => c.Key == conversationId);
        AddJourney(now, "rating", $"rated the chat {score}/5");
        RecordStat(new StatEvent(StatKind.Rated, note?.RuleId ?? rated.RuleId, note is null ? rated.Situation : note.Situation, now,
            AgentId: rated.AgentId, Score: score));
        await Save();
    }

    public Task RequestResolved(string reference) => Resolve(reference);

    /// <summary>A chat closed, a callback done, a message answered: its time to resolution, once.</summary>
    private async Task Resolve(string key)
    {
        var index = S.Contacts.FindIndex(c => c.Key == key && !c.Resolved);
        if (index < 0) return;
        var note = S.Contacts[index];
        var now = clock.GetUtcNow();
        S.Contacts[index] = note with { Resolved = true };
        RecordStat(new StatEvent(StatKind.Resolved, note.RuleId, note.Situation, now, Math.Max(0, (now - note.At).TotalSeconds), Channel: note.Channel));
        await Save();
    }

    /// <summary>
    /// The visitor reached out. Counted for the situation of the invitation they took up, else of the rule that fired
    /// last this visit (invited or held out, so both groups' channels show), else as visitor-initiated; and checked
    /// against the contacts of the last 7 days of this visitor id and of every phone/e-mail they gave.
    /// </summary>
    private async Task Contacted(string channel, string key, DateTimeOffset at, PendingInvitation? origin = null, string? phone = null, string? email = null)
    {
        var fired = origin is null ? S.Fired.Values.MaxBy(f => f.At) : null;
        var ruleId = origin?.Invitation.RuleId ?? fired?.RuleId;
        var situation = origin is not null ? origin.Invitation.Situation : fired?.Situation;
        foreach (var identity in new[] { ContactKeys.Phone(SiteId, phone), ContactKeys.Email(SiteId, email) })
        {
            if (identity is null || S.IdentityKeys.Contains(identity)) continue;
            S.IdentityKeys.Add(identity);
            if (S.IdentityKeys.Count > IdentitiesKept) S.IdentityKeys.RemoveAt(0);
        }
        var kind = channel is ContactChannels.ChatFromInvitation or ContactChannels.ChatStartedByVisitor ? "chat" : channel;
        var contact = new ContactView(kind, at, VisitorId, kind == "chat" ? key : null, kind is "callback" or "message" ? key : null, situation);
        var earlier = new List<ContactView>();
        foreach (var identity in S.IdentityKeys.Prepend(ContactKeys.Visitor(SiteId, VisitorId)))
            foreach (var c in await grains.GetGrain<IContactHistoryGrain>(Keys.Of(SiteId, identity)).Add(contact))
                earlier.Add(c with { Via = ContactKeys.Via(identity) });
        // One contact can be on file under several identities (visitor id and phone): count it once, by the first match.
        earlier = earlier.DistinctBy(c => (c.VisitorId, c.At, c.Kind)).ToList();
        var since = at - ContactHistoryGrain.Window;
        S.EarlierContacts = S.EarlierContacts.Concat(earlier).Where(c => c.At >= since)
            .DistinctBy(c => (c.VisitorId, c.At, c.Kind)).OrderBy(c => c.At).TakeLast(ContactsKept).ToList();
        S.Contacts.Add(new ContactNote(key, channel, ruleId, situation, at));
        if (S.Contacts.Count > ContactsKept) S.Contacts.RemoveAt(0);
        if (earlier.Count > 0) AddJourney(at, "repeat", $"contacted again: {earlier.Count} earlier contact{(earlier.Count == 1 ? "" : "s")} within 7 days");
        RecordStat(new StatEvent(StatKind.Contact, ruleId, situation, at, Channel: channel));
        if (earlier.Count > 0) RecordStat(new StatEvent(StatKind.RepeatContact, ruleId, situation, at, Channel: channel));
        await Save();
    }
}
