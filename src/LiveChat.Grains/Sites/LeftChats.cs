using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// What is due for chats whose visitor left the site: a queued one is abandoned (a missed chat), an answered one
/// first gives its seat back, then closes. Pure bookkeeping over the site's state; <see cref="SiteGrain"/> does the calls.
/// </summary>
internal static class LeftChats
{
    public sealed record Due(IReadOnlyList<QueueEntry> Abandoned, int SeatsFreed, IReadOnlyList<string> ToClose);

    /// <summary>Marks a chat's visitor as gone; false when the chat is neither queued nor answered here (or already marked).</summary>
    public static bool MarkLeft(SiteState s, string conversationId, DateTimeOffset now)
    {
        var index = s.Queue.FindIndex(q => q.ConversationId == conversationId);
        if (index >= 0)
        {
            if (s.Queue[index].VisitorLeftAt is not null) return false;
            s.Queue[index] = s.Queue[index] with { VisitorLeftAt = now };
            return true;
        }
        return SlotOf(s, conversationId) is { } slot && slot.Left.TryAdd(conversationId, now);
    }

    /// <summary>The earliest moment something is due, or null when no visitor of a chat is away.</summary>
    public static DateTimeOffset? NextDue(SiteState s, GrainTimings t)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset at) { if (next is null || at < next) next = at; }
        foreach (var q in s.Queue)
            if (q.VisitorLeftAt is { } at) Consider(at + t.QueuedChatAbandonAfter);
        foreach (var slot in s.Agents.Values)
            foreach (var (id, at) in slot.Left)
                Consider(slot.Freed.Contains(id) ? at + t.LeftChatCloseAfter : at + Min(t.LeftChatFreesSeatAfter, t.LeftChatCloseAfter));
        return next;
    }

    /// <summary>Applies what is due at <paramref name="now"/> to the state and says what the grain must still do.</summary>
    public static Due TakeDue(SiteState s, GrainTimings t, DateTimeOffset now)
    {
        var abandoned = s.Queue.Where(q => q.VisitorLeftAt is { } at && now - at >= t.QueuedChatAbandonAfter).ToList();
        s.Queue.RemoveAll(abandoned.Contains);
        var freed = 0;
        var toClose = new List<string>();
        foreach (var slot in s.Agents.Values)
            foreach (var (id, at) in slot.Left.ToList())
            {
                if (now - at >= t.LeftChatFreesSeatAfter && slot.Freed.Add(id)) freed++;
                if (now - at < t.LeftChatCloseAfter) continue;
                toClose.Add(id);
                slot.Left.Remove(id); // closing is on its way; the seat stays free until the close releases it
                if (slot.Freed.Add(id)) freed++;
            }
        return new Due(abandoned, freed, toClose);
    }

    /// <summary>The visitor of an answered chat is back. Null: they were not marked away; else whether the seat their chat had freed is taken again.</summary>
    public static bool? Returned(AgentSlot slot, string conversationId)
    {
        var hadFreedSeat = slot.Freed.Remove(conversationId);
        if (!slot.Left.Remove(conversationId) && !hadFreedSeat) return null;
        return hadFreedSeat;
    }

    /// <summary>What the visitor of a missed chat wrote, for its request (bounded like one message); null when nothing.</summary>
    public static string? VisitorWords(ConversationView? view)
    {
        var words = string.Join("\n", view?.Messages.Where(m => m.From == Senders.Visitor).Select(m => m.Text) ?? []);
        if (words.Length > Limits.MessageText) words = words[..Limits.MessageText];
        return words.Length > 0 ? words : null;
    }

    public static AgentSlot? SlotOf(SiteState s, string conversationId) =>
        s.Agents.Values.FirstOrDefault(a => a.Open.Contains(conversationId));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
