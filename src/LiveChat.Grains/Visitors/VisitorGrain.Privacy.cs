using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>The right to be forgotten: the visitor's state and every conversation (with its messages) are deleted.</summary>
internal sealed partial class VisitorGrain
{
    public async Task<IReadOnlyList<string>> Forget()
    {
        var conversationIds = S.PastConversations.Concat(S.ConversationId is { } open ? [open] : []).Distinct().ToList();
        foreach (var id in conversationIds) await grains.GetGrain<IConversationGrain>(id).Forget();
        Disarm();
        leaveTimer?.Dispose();
        leaveTimer = null;
        await state.ClearStateAsync();
        grains.GetGrain<IPresenceGrain>(SiteId).Remove(VisitorId).Ignore();
        await agents.VisitorLeft(SiteId, new VisitorLeftView(SiteId, VisitorId));
        DeactivateOnIdle();
        return conversationIds;
    }
}
