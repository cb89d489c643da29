using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// The right to be forgotten: the visitor's state, every conversation (with its messages) and every request
/// (callback, left message) they made are deleted. The site's request index keeps the bare references until its
/// own retention prunes them; the requests themselves are gone.
/// </summary>
internal sealed partial class VisitorGrain
{
    public async Task<IReadOnlyList<string>> Forget()
    {
        var conversationIds = S.PastConversations.Concat(S.ConversationId is { } open ? [open] : []).Distinct().ToList();
        foreach (var id in conversationIds) await grains.GetGrain<IConversationGrain>(id).Forget();
        foreach (var reference in S.RequestReferences) grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).Forget().Ignore();
        Disarm();
        leaveTimer?.Dispose();
        leaveTimer = null;
        await state.ClearStateAsync();
        await agents.VisitorLeft(SiteId, new VisitorLeftView(SiteId, VisitorId));
        DeactivateOnIdle();
        return conversationIds;
    }
}
