using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A site's per-situation figures, apart from the site grain so that no visitor event and no routing write touches
/// them: the nodes' aggregators send sums every few seconds, and each batch is stored before it is acknowledged.
/// </summary>
internal sealed class SiteStatsGrain(
    [PersistentState("stats", Storage.Name)] IPersistentState<SiteStatsState> state, TimeProvider clock, ILogger<SiteStatsGrain> log)
    : Grain, ISiteStatsGrain
{
    /// <summary>How long a visitor's mark is kept: longer than any replay can come (a visitor's node died, they came back).</summary>
    public static readonly TimeSpan MarksKept = TimeSpan.FromHours(2);
    private const int BatchesKept = 200;

    private SiteStatsState S => state.State;

    public async Task Apply(StatBatch batch)
    {
        if (S.RecentBatches.Contains(batch.BatchId)) return;
        foreach (var count in batch.Counts)
            for (var i = 0; i < count.Count; i++) S.Book.Add(count.Stat);
        var now = clock.GetUtcNow();
        foreach (var (source, seq) in batch.Marks) Mark(source, seq, now);
        var replayed = 0;
        foreach (var replay in batch.Replays.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Seq))
        {
            if (S.Marks.TryGetValue(replay.Source, out var mark) && replay.Seq <= mark.Seq) continue; // counted before the node died
            S.Book.Add(replay.Stat);
            Mark(replay.Source, replay.Seq, now);
            replayed++;
        }
        if (replayed > 0) log.LogInformation("Counted {Count} stat events resent after a node was lost", replayed);
        S.RecentBatches.Add(batch.BatchId);
        if (S.RecentBatches.Count > BatchesKept) S.RecentBatches.RemoveRange(0, S.RecentBatches.Count - BatchesKept);
        foreach (var old in S.Marks.Where(m => now - m.Value.At > MarksKept).Select(m => m.Key).ToList()) S.Marks.Remove(old);
        await state.WriteStateAsync();
    }

    public async Task Import(SiteStatsBook book)
    {
        if (S.Book.BySituation.Count > 0) { log.LogWarning("Stats already kept apart; the site grain's old figures were not merged"); return; }
        S.Book = book;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SituationStats>> Query(DateTimeOffset from, DateTimeOffset to) => Task.FromResult(S.Book.Query(from, to));

    private void Mark(string source, long seq, DateTimeOffset now)
    {
        if (!S.Marks.TryGetValue(source, out var mark) || seq > mark.Seq) S.Marks[source] = new StatMark(seq, now);
    }
}
