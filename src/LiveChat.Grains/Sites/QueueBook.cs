using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// The site's FIFO queue as pure bookkeeping over <see cref="SiteState"/>: places among the visitors who are there,
/// wait estimates from recent handling times and online seats, and when to offer the alternatives instead.
/// <see cref="SiteGrain"/> routes, pushes and writes.
/// </summary>
internal static class QueueBook
{
    /// <summary>The handling time assumed before any chat of the site has ended.</summary>
    public const double DefaultHandlingSeconds = 180;
    public const int HandlingTimesKept = 50;

    /// <summary>Someone is there to be served: chats whose visitor left are handed to nobody.</summary>
    public static bool Waiting(QueueEntry q) => q.VisitorLeftAt is null;

    public static bool Contains(SiteState s, string conversationId) => s.Queue.Exists(q => q.ConversationId == conversationId);

    public static int IndexOf(SiteState s, string conversationId) => s.Queue.FindIndex(q => q.ConversationId == conversationId);

    /// <summary>The first entry someone is waiting behind, or -1.</summary>
    public static int NextWaiting(SiteState s) => s.Queue.FindIndex(Waiting);

    /// <summary>Removes and returns the entry at <paramref name="index"/>.</summary>
    public static QueueEntry Take(SiteState s, int index)
    {
        var entry = s.Queue[index];
        s.Queue.RemoveAt(index);
        return entry;
    }

    /// <returns>Whether the conversation was queued.</returns>
    public static bool Remove(SiteState s, string conversationId) => s.Queue.RemoveAll(q => q.ConversationId == conversationId) > 0;

    /// <summary>Chats that were already being served go back in at the front, in their order.</summary>
    public static void ReturnToFront(SiteState s, IEnumerable<QueueEntry> entries) => s.Queue.InsertRange(0, entries);

    /// <summary>The visitor of a queued chat came back: they can be served again. False when not queued or not away.</summary>
    public static bool Returned(SiteState s, int index)
    {
        if (s.Queue[index].VisitorLeftAt is null) return false;
        s.Queue[index] = s.Queue[index] with { VisitorLeftAt = null };
        return true;
    }

    /// <summary>A chat ended after this long: the estimate follows the latest <see cref="HandlingTimesKept"/>.</summary>
    public static void RecordHandling(SiteState s, double seconds)
    {
        s.HandlingSeconds.Add(seconds);
        if (s.HandlingSeconds.Count > HandlingTimesKept) s.HandlingSeconds.RemoveAt(0);
    }

    /// <summary>Place in line among the visitors who are there (1-based), or null when not waiting.</summary>
    public static int? PlaceOf(SiteState s, string conversationId)
    {
        var place = 0;
        foreach (var q in s.Queue)
        {
            if (Waiting(q)) place++;
            if (q.ConversationId == conversationId) return Waiting(q) ? place : null;
        }
        return null;
    }

    /// <summary>Place × recent handling time ÷ online seats, rounded up to whole seconds; unknown (null) when nobody is online.</summary>
    public static int? Estimate(SiteState s, int place)
    {
        var seats = Roster.OnlineSeats(s);
        if (seats == 0) return null;
        var handling = s.HandlingSeconds.Count > 0 ? s.HandlingSeconds.Average() : DefaultHandlingSeconds;
        return (int)Math.Ceiling(place * handling / seats);
    }

    /// <summary>Nobody online, the estimated wait above the site's limit, or outside business hours: offer the alternatives.</summary>
    public static bool NobodySoon(SiteState s, int? estimate, bool open) =>
        estimate is null || estimate > s.Settings.MaxQueueWaitSeconds || !open;

    /// <summary>Where a conversation stands: its place and estimate, or nothing when it is not waiting.</summary>
    public static RoutingResult Position(SiteState s, string conversationId, bool open)
    {
        if (PlaceOf(s, conversationId) is not { } place) return new RoutingResult(null, null, null);
        var estimate = Estimate(s, place);
        return new RoutingResult(null, place, estimate, NobodySoon(s, estimate, open));
    }

    /// <summary>What each waiting visitor is told, in queue order.</summary>
    public static IEnumerable<(QueueEntry Entry, QueueView View)> Views(SiteState s, bool open)
    {
        var place = 0;
        foreach (var q in s.Queue.Where(Waiting).ToList())
        {
            var estimate = Estimate(s, ++place);
            yield return (q, new QueueView(q.ConversationId, place, estimate, NobodySoon(s, estimate, open) ? Alternatives.All : null));
        }
    }
}
