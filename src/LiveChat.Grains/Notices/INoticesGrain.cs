using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A site's proactive service notices ("payments are down, we are on it"): stored, expired at their instant, and announced
/// to the site's connected visitor grains on every change, each of which decides whether its page shows it. Key: siteId.
/// </summary>
public interface INoticesGrain : IGrainWithStringKey
{
    /// <summary>The active notices and their version, for each node's <see cref="NoticeBoard"/>.</summary>
    [ReadOnly] Task<ActiveNotices> GetActive();
    /// <summary>The active notices with their stats, oldest first.</summary>
    [ReadOnly] Task<IReadOnlyList<NoticeRecord>> List();
    /// <summary>Stores an already-validated notice; refused beyond <see cref="NoticesGrain.MaxActive"/>.</summary>
    Task<NoticeRecord> Create(NoticeDraft draft);
    /// <summary>Replaces a notice's content, keeping its id and stats; null when there is no such active notice.</summary>
    Task<NoticeRecord?> Update(string noticeId, NoticeDraft draft);
    Task<bool> Delete(string noticeId);

    /// <summary>A visitor was shown these notices (each visitor grain reports a notice once).</summary>
    [OneWay] Task Seen(IReadOnlyList<string> noticeIds);
    /// <summary>A visitor who had seen these notices still started a chat, asked for a callback or left a message.</summary>
    [OneWay] Task ContactedAfter(IReadOnlyList<string> noticeIds);
}

public static class NoticeSeverity
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Outage = "outage";
    public static readonly IReadOnlyList<string> All = [Info, Warning, Outage];
}

/// <summary>What an admin writes; validated by the API before it reaches the grain.</summary>
[GenerateSerializer]
/// <param name="Texts">The text per language when given so (<c>{ "nl": "…", "en": "…" }</c>); <paramref name="Text"/> is then the site default language's.</param>
public sealed record NoticeDraft(string Text, string Severity, string? PageMatches, string? Link, DateTimeOffset? ExpiresAt, IReadOnlyDictionary<string, string>? Texts = null);

/// <summary>A stored notice with its stats: visitors who saw it, and of those, who still contacted the site afterwards.</summary>
[GenerateSerializer]
public sealed record NoticeRecord(NoticeView Notice, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Seen, int ContactedAfter);

/// <summary>The active notices of a site; the version grows with every change, so a node can tell a stale copy.</summary>
[GenerateSerializer]
public sealed record ActiveNotices(long Version, IReadOnlyList<NoticeView> Notices);

/// <summary>The notices side of the visitor grain (the same grain: <c>VisitorGrain</c> implements both interfaces).</summary>
public interface IVisitorNoticesGrain : IGrainWithStringKey
{
    /// <summary>The site's notices changed to this version: recompute what this visitor's page shows and push the difference.</summary>
    [OneWay] Task NoticesChanged(long version);
}
