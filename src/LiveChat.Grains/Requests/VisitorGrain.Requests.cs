using LiveChat.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace LiveChat.Grains;

/// <summary>
/// The requests part of the visitor grain: callbacks, left messages and transcripts, the visitor's own references
/// (so "where is my request?" answers only for those), and the webhook events of the visitor's conversation.
/// </summary>
internal sealed partial class VisitorGrain
{
    private const int RequestsRemembered = 20;

    // Resolved here rather than in the primary constructor, so this feature stays out of the grain's shared signature.
    private IEventPublisher Events => ServiceProvider.GetRequiredService<IEventPublisher>();
    private IRequestSettings RequestSettings => ServiceProvider.GetRequiredService<IRequestSettings>();
    private IRequestsGrain Requests => grains.GetGrain<IRequestsGrain>(SiteId);

    public Task<ReferenceResult> RequestCallback(string phone, string? name, string? note, DateTimeOffset? at = null, string? email = null, string? clientAddress = null) =>
        StoreRequest(RequestKinds.Callback, phone, email, name, note, at, clientAddress);

    public Task<ReferenceResult> LeaveMessage(string email, string text, string? name, string? clientAddress = null) =>
        StoreRequest(RequestKinds.Message, null, email, name, text, null, clientAddress);

    public async Task<RequestStatusView> GetRequestStatus(string reference)
    {
        // Another visitor's reference answers exactly like one that does not exist.
        if (!S.RequestReferences.Contains(reference)) throw new RefusedException("reference: not found");
        var view = await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).Get() ?? throw new RefusedException("reference: not found");
        return Status(view);
    }

    public async Task<IReadOnlyList<RequestStatusView>> GetMyRequests()
    {
        var views = await Task.WhenAll(S.RequestReferences.TakeLast(5).Reverse().Select(r => grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, r)).Get()));
        return views.OfType<CallbackView>().Select(Status).ToList();
    }

    public async Task RequestTranscript(string email)
    {
        if (!RequestSettings.EmailEnabled) throw new RefusedException("e-mail is not configured here, so a transcript cannot be sent");
        var id = S.ConversationId ?? S.PastConversations.LastOrDefault() ?? throw new RefusedException("there is no conversation to send");
        var conversation = grains.GetGrain<IConversationGrain>(id);
        await conversation.SetTranscriptEmail(email);
        if (S.ConversationId == id)
        {
            S.TranscriptTo[id] = email; // sent when the chat ends, so it holds every message
            await Save();
            return;
        }
        await SendTranscript(id, email);
    }

    private async Task<ReferenceResult> StoreRequest(string kind, string? phone, string? email, string? name, string? text, DateTimeOffset? at, string? clientAddress)
    {
        var stored = await Requests.Add(new CallbackView("", SiteId, VisitorId, kind, phone, email, name, text, clock.GetUtcNow(), false, at), clientAddress);
        S.RequestReferences.Add(stored.Reference);
        if (S.RequestReferences.Count > RequestsRemembered) S.RequestReferences.RemoveAt(0);
        AddJourney(stored.CreatedAt, kind, $"{(kind == RequestKinds.Callback ? "requested a callback" : "left a message")} ({stored.Reference})");
        await Save();
        NoteContactAfterNotices();
        return new ReferenceResult(stored.Reference);
    }

    /// <summary>The visitor's conversation has ended: its transcript goes out if asked for, and the site's webhooks hear of it.</summary>
    private async Task AfterConversation(string conversationId)
    {
        await Events.Publish(SiteId, Grains.Events.ConversationClosed, new { conversationId, visitorId = VisitorId });
        if (S.TranscriptTo.Remove(conversationId, out var email))
        {
            await Save();
            await SendTranscript(conversationId, email);
        }
    }

    private Task ConversationStarted(string conversationId, string? ruleId, string? situation) =>
        Events.Publish(SiteId, Grains.Events.ConversationStarted, new { conversationId, visitorId = VisitorId, ruleId, situation });

    private Task InvitationAccepted(InvitationView invitation) =>
        Events.Publish(SiteId, Grains.Events.InvitationAccepted, new { invitationId = invitation.InvitationId, ruleId = invitation.RuleId, situation = invitation.Situation, visitorId = VisitorId });

    private async Task SendTranscript(string conversationId, string email)
    {
        if (await grains.GetGrain<IConversationGrain>(conversationId).GetView() is not { } view) return;
        var zone = (await directory.Get(SiteId)).Hours.Zone;
        await grains.GetGrain<IOutboxGrain>(SiteId).Enqueue([RequestMails.Transcript(view, email, zone)]);
    }

    private static RequestStatusView Status(CallbackView v) =>
        new(v.Reference, v.Kind, v.Status, v.At, v.LastUpdate ?? v.CreatedAt);
}
