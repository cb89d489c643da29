using System.Collections.Concurrent;

namespace LiveChat.Grains;

/// <summary>Embedded mode's message store: one list per conversation in this process (gone after a restart, as all embedded state).</summary>
public sealed class InMemoryMessageStore : IMessageStore
{
    private readonly ConcurrentDictionary<string, List<StoredMessage>> conversations = new(StringComparer.Ordinal);

    public Task Append(string conversationId, StoredMessage message)
    {
        var list = conversations.GetOrAdd(conversationId, _ => []);
        lock (list)
        {
            if (list.Count != message.Message.Sequence - 1)
                throw new MessageStoreConflictException($"conversation {conversationId} holds {list.Count} messages, not {message.Message.Sequence - 1}");
            list.Add(message);
        }
        return Task.CompletedTask;
    }

    public Task Confirm(string conversationId) => Task.CompletedTask;

    public Task<IReadOnlyList<StoredMessage>> Read(string conversationId)
    {
        if (!conversations.TryGetValue(conversationId, out var list)) return Task.FromResult<IReadOnlyList<StoredMessage>>([]);
        lock (list) return Task.FromResult<IReadOnlyList<StoredMessage>>(list.ToList());
    }

    public Task Delete(string conversationId)
    {
        conversations.TryRemove(conversationId, out _);
        return Task.CompletedTask;
    }
}
