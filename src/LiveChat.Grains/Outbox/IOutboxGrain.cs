namespace LiveChat.Grains;

/// <summary>A site's outgoing e-mail and webhook calls: persisted, then attempted, retried with backoff until delivered or given up. Key: siteId.</summary>
public interface IOutboxGrain : IGrainWithStringKey
{
    /// <summary>Persists the items (those whose key is already known are skipped) and starts delivering them.</summary>
    Task Enqueue(IReadOnlyList<OutboxItem> items);
    /// <summary>The transport's result for one round of attempts.</summary>
    Task Report(string key, DeliveryOutcome outcome);
    /// <summary>Pending and recent deliveries of one channel, newest first.</summary>
    [ReadOnly] Task<IReadOnlyList<DeliveryRecord>> GetDeliveries(string channel, int limit);
}
