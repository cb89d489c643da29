using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A visitor's contacts as pure changes to <see cref="VisitorState"/>: what a contact is counted for, the identities it
/// is matched on for repeat contacts, the earlier contacts agents see, and time to resolution (once per contact).
/// <see cref="VisitorGrain"/> asks the <see cref="IContactHistoryGrain"/>s in between.
/// </summary>
internal static class ContactBook
{
    public const int ContactsKept = 20;
    public const int IdentitiesKept = 10;

    /// <summary>
    /// Counted for the situation of the invitation the visitor took up, else of the rule that fired last this visit
    /// (invited or held out, so both groups' channels show), else as visitor-initiated.
    /// </summary>
    public static (string? RuleId, string? Situation) Attribution(VisitorState s, PendingInvitation? origin)
    {
        if (origin is not null) return (origin.Invitation.RuleId, origin.Invitation.Situation);
        var fired = s.Fired.Values.MaxBy(f => f.At);
        return (fired?.RuleId, fired?.Situation);
    }

    /// <summary>The phone number and e-mail address given, kept hashed (newest last, bounded); returns every identity to check.</summary>
    public static IReadOnlyList<string> Identities(VisitorState s, string siteId, string visitorId, string? phone, string? email)
    {
        foreach (var identity in new[] { ContactKeys.Phone(siteId, phone), ContactKeys.Email(siteId, email) })
        {
            if (identity is null || s.IdentityKeys.Contains(identity)) continue;
            s.IdentityKeys.Add(identity);
            if (s.IdentityKeys.Count > IdentitiesKept) s.IdentityKeys.RemoveAt(0);
        }
        return s.IdentityKeys.Prepend(ContactKeys.Visitor(siteId, visitorId)).ToList();
    }

    /// <summary>What a contact is filed as in the contact histories: a chat (by conversation), a callback or message (by reference), a call.</summary>
    public static ContactView View(string channel, string key, DateTimeOffset at, string visitorId, string? situation)
    {
        var kind = Kind(channel);
        return new ContactView(kind, at, visitorId, kind == "chat" ? key : null, kind is "callback" or "message" ? key : null, situation);
    }

    public static string Kind(string channel) =>
        channel is ContactChannels.ChatFromInvitation or ContactChannels.ChatStartedByVisitor ? "chat" : channel;

    /// <summary>
    /// Files a contact and the earlier ones found for it (within <see cref="ContactHistoryGrain.Window"/>, bounded).
    /// One contact can be on file under several identities (visitor id and phone): it counts once, by the first match.
    /// </summary>
    /// <returns>How many earlier contacts this one repeats.</returns>
    public static int Add(VisitorState s, ContactNote note, IEnumerable<ContactView> found)
    {
        var earlier = found.DistinctBy(Identity).ToList();
        var since = note.At - ContactHistoryGrain.Window;
        s.EarlierContacts = s.EarlierContacts.Concat(earlier).Where(c => c.At >= since)
            .DistinctBy(Identity).OrderBy(c => c.At).TakeLast(ContactsKept).ToList();
        s.Contacts.Add(note);
        if (s.Contacts.Count > ContactsKept) s.Contacts.RemoveAt(0);
        return earlier.Count;
    }

    /// <summary>A chat closed, a callback done, a message answered: its time to resolution, once. Null when already counted or unknown.</summary>
    public static StatEvent? Resolve(VisitorState s, string key, DateTimeOffset now)
    {
        var index = s.Contacts.FindIndex(c => c.Key == key && !c.Resolved);
        if (index < 0) return null;
        var note = s.Contacts[index];
        s.Contacts[index] = note with { Resolved = true };
        return new StatEvent(StatKind.Resolved, note.RuleId, note.Situation, now, Math.Max(0, (now - note.At).TotalSeconds), Channel: note.Channel);
    }

    private static (string, DateTimeOffset, string) Identity(ContactView c) => (c.VisitorId, c.At, c.Kind);
}
