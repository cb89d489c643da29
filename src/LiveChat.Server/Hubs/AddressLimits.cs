using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Hubs;

/// <summary>
/// Per client address (per node): how many new visitor identities it may create per minute and how many chats it
/// may hold open at once, so one machine cannot fill a site's queue with fake visitors. Loopback follows
/// <c>LiveChat:Limits:ExemptLoopback</c>, as the connection cap does.
/// </summary>
/// <remarks>
/// New identities: one <see cref="SlidingWindowRateLimiter"/> per address in an <see cref="AddressLimiter"/>,
/// replenished once a segment (10 s) while any address is limited, and dropped once it is full again.
/// </remarks>
public sealed class AddressLimits : IDisposable
{
    public const string TooManyIdentities = "too many new visitors from your address: try again in a minute";
    public const string TooManyChats = "too many open chats from your address: end one or try again later";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int Segments = 6;

    private readonly IOptions<LiveChatOptions> options;
    private readonly IGrainFactory grains;
    private readonly AddressLimiter identities;
    private readonly ConcurrentDictionary<IPAddress, OpenChats> chats = new();

    public AddressLimits(IOptions<LiveChatOptions> options, IGrainFactory grains, TimeProvider clock)
    {
        this.options = options;
        this.grains = grains;
        identities = new(clock, Window / Segments, () => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Limits.NewVisitorsPerIpPerMinute, Window = Window, SegmentsPerWindow = Segments,
            QueueLimit = 0, AutoReplenishment = false,
        }));
    }

    /// <summary>False when this address already made its share of new identities this minute.</summary>
    public bool TryNewIdentity(IPAddress? ip)
    {
        if (Exempt(ip)) return true;
        using var lease = identities.Acquire(ip!);
        return lease.IsAcquired;
    }

    /// <summary>
    /// A place for one more open chat, or null when the address holds its share. Chats that have ended since are
    /// found (one cheap grain call each, at most the cap) and give their place back first.
    /// </summary>
    public async Task<ChatPlace?> TryReserveChat(IPAddress? ip)
    {
        if (Exempt(ip)) return ChatPlace.Unlimited;
        var entry = chats.GetOrAdd(ip!, _ => new OpenChats());
        foreach (var id in entry.Snapshot())
            if (await grains.GetGrain<IConversationGrain>(id).GetView() is not { Status: not ConversationStatus.Closed })
                entry.Remove(id);
        var place = entry.TryReserve(options.Value.Limits.OpenChatsPerIp);
        if (place is null && entry.IsEmpty) chats.TryRemove(new KeyValuePair<IPAddress, OpenChats>(ip!, entry));
        return place;
    }

    private bool Exempt(IPAddress? ip) => ip is null || options.Value.Limits.ExemptLoopback && IPAddress.IsLoopback(ip);

    public void Dispose() => identities.Dispose();

    /// <summary>The open chats of one address, and the places reserved by StartChat calls still in flight.</summary>
    internal sealed class OpenChats
    {
        private readonly HashSet<string> open = [];
        private int pending;

        public string[] Snapshot() { lock (this) return [.. open]; }
        public bool IsEmpty { get { lock (this) return open.Count == 0 && pending == 0; } }
        public void Remove(string id) { lock (this) open.Remove(id); }

        public ChatPlace? TryReserve(int cap)
        {
            lock (this)
            {
                if (open.Count + pending >= cap) return null;
                pending++;
            }
            return new ChatPlace(this);
        }

        public void Settle(string? conversationId)
        {
            lock (this)
            {
                pending--;
                if (conversationId is not null) open.Add(conversationId);
            }
        }
    }

    /// <summary>A reserved place: <see cref="Opened"/> keeps it for the chat; disposing without it gives it back.</summary>
    public sealed class ChatPlace : IDisposable
    {
        internal static readonly ChatPlace Unlimited = new(null);
        private readonly OpenChats? owner;
        private int settled;

        internal ChatPlace(OpenChats? owner) => this.owner = owner;

        public void Opened(string conversationId)
        {
            if (Interlocked.Exchange(ref settled, 1) == 0) owner?.Settle(conversationId);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref settled, 1) == 0) owner?.Settle(null);
        }
    }
}
