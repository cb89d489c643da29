using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Grains;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveChat.Server.Messages;

/// <summary>
/// Messages as one Redis list per conversation (<c>livechat:{serviceId}:messages:{conversationId}</c>): an append is
/// one small script (check the length, RPUSH), so the bytes written per message do not grow with the conversation.
/// With <c>LiveChat:Durability:ReplicaAcks</c> set, an append also waits for that many replicas (<c>WAIT</c>) and
/// fails, unacknowledged, when they do not confirm in time.
/// </summary>
public sealed class RedisMessageStore(IConnectionMultiplexer redis, string keyPrefix, IOptions<DurabilityOptions> durability) : IMessageStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Entry N goes in only as the N-th: an earlier append that timed out but landed is found, never duplicated.
    private static readonly LuaScript AppendScript = LuaScript.Prepare("""
        local n = redis.call('LLEN', @key)
        if n ~= tonumber(@expected) then return -1 - n end
        return redis.call('RPUSH', @key, @value)
        """);

    private IDatabase Db => redis.GetDatabase();

    public async Task Append(string conversationId, StoredMessage message)
    {
        var result = (long)await Db.ScriptEvaluateAsync(AppendScript, new
        {
            key = (RedisKey)Key(conversationId), expected = message.Message.Sequence - 1, value = JsonSerializer.Serialize(message, Json),
        });
        if (result < 0)
            throw new MessageStoreConflictException($"conversation {conversationId} holds {-1 - result} messages, not {message.Message.Sequence - 1}");
        await Confirm(conversationId);
    }

    public async Task Confirm(string conversationId)
    {
        var o = durability.Value;
        if (o.ReplicaAcks <= 0) return;
        // WAIT covers every earlier write on this connection, the append just made included.
        var confirmed = (long)await Db.ExecuteAsync("WAIT", o.ReplicaAcks, (long)o.ReplicaAckTimeout.TotalMilliseconds);
        if (confirmed < o.ReplicaAcks)
            throw new RefusedException(ReasonCodes.Retry, $"the message is not yet safe on {o.ReplicaAcks} replica(s); please retry");
    }

    public async Task<IReadOnlyList<StoredMessage>> Read(string conversationId)
    {
        var values = await Db.ListRangeAsync(Key(conversationId));
        return values.Select(v => JsonSerializer.Deserialize<StoredMessage>((string)v!, Json)!).ToList();
    }

    public Task Delete(string conversationId) => Db.KeyDeleteAsync(Key(conversationId));

    private string Key(string conversationId) => $"{keyPrefix}:messages:{conversationId}";
}
