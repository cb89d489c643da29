using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A conversation's messages, stored append-only: one write per message whatever the conversation's length
/// (a Redis list in a cluster, memory when embedded). The conversation grain is the single writer; the store
/// only checks that message N lands as the N-th entry, so sequences stay gap-free even after an append that
/// timed out but landed.
/// </summary>
public interface IMessageStore
{
    /// <summary>Stores <paramref name="message"/> as entry number <c>message.Message.Sequence</c>; durable (and replicated, if so configured) when it returns.</summary>
    /// <exception cref="MessageStoreConflictException">the store holds a different number of messages than the grain expected.</exception>
    Task Append(string conversationId, StoredMessage message);

    /// <summary>Waits until earlier appends are as durable as configured (replicas), for a retried message's ack.</summary>
    Task Confirm(string conversationId);

    Task<IReadOnlyList<StoredMessage>> Read(string conversationId);

    Task Delete(string conversationId);
}

/// <summary>A message and who sent it (visitor id or agent id; null for system messages), for per-sender deduplication.</summary>
[GenerateSerializer]
public sealed record StoredMessage([property: Id(0)] ChatMessage Message, [property: Id(1)] string? SenderId);

/// <summary>The store did not hold the expected number of messages: the grain reloads before its next write.</summary>
[GenerateSerializer]
public sealed class MessageStoreConflictException(string message) : Exception(message);

/// <summary>How durable an acknowledged message is (configuration section <c>LiveChat:Durability</c>).</summary>
public sealed class DurabilityOptions
{
    /// <summary>Replicas that must hold a message before it is acknowledged (Redis <c>WAIT</c>); 0 = the primary's own persistence only.</summary>
    public int ReplicaAcks { get; set; }
    /// <summary>How long an append waits for those replicas; after it the message is not acknowledged (the client retries).</summary>
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
