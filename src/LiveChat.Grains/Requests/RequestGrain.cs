using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One request and its e-mails. Its mails are persisted in the site's outbox after the request itself is stored.</summary>
internal sealed class RequestGrain(
    [PersistentState("request", Storage.Name)] IPersistentState<RequestState> state,
    IGrainFactory grains, SiteDirectory directory, IRequestSettings settings, IAgentNotifier agents, IEventPublisher events, TimeProvider clock)
    : Grain, IRequestGrain
{
    private RequestState S => state.State;
    private string SiteId => Keys.Split(this.GetPrimaryKeyString()).SiteId;
    private IOutboxGrain Outbox => grains.GetGrain<IOutboxGrain>(SiteId);

    public async Task<bool> Create(CallbackView request, string? clientAddress)
    {
        if (S.View is not null) return false;
        var now = clock.GetUtcNow();
        S.View = request;
        S.Address = clientAddress;
        var mails = settings.EmailEnabled ? RequestMails.ForNew(request, settings.TeamEmail(SiteId), await Zone()) : [];
        S.Mails = mails.Select(m => new MailView(m.Key, m.Purpose, m.Target, MailStatus.Queued, null, 0, now)).ToList();
        await state.WriteStateAsync();
        if (mails.Count > 0) await Outbox.Enqueue(mails);
        await agents.CallbackRequested(SiteId, View());
        var type = request.Kind switch { RequestKinds.Callback => Events.CallbackRequested, RequestKinds.Message => Events.MessageLeft, _ => null };
        if (type is not null) await events.Publish(SiteId, type, EventData());
        return true;
    }

    public Task<CallbackView?> Get() => Task.FromResult(S.View is null ? null : View());

    public async Task<bool> MarkDone(string? by)
    {
        if (S.View is not { } view) return false;
        if (view.Done) return true;
        S.View = view with { Done = true, Status = RequestStatus.Done, LastUpdate = clock.GetUtcNow(), HandledBy = view.HandledBy ?? by };
        await state.WriteStateAsync();
        await agents.CallbackRequested(SiteId, View());
        if (view.Kind == RequestKinds.Callback) await events.Publish(SiteId, Events.CallbackDone, EventData());
        return true;
    }

    public async Task<CallbackView> Reply(string agentName, string text)
    {
        if (S.View is not { } view) throw new RefusedException("reference: no such request");
        if (!settings.EmailEnabled) throw new RefusedException("e-mail is not configured on this server");
        if (view.Email is not { Length: > 0 }) throw new RefusedException("this request has no e-mail address to reply to");
        var now = clock.GetUtcNow();
        var mail = RequestMails.Reply(view, S.Replies.Count + 1, agentName, text);
        S.Replies.Add(new RequestReply(agentName, text, now, mail.Key));
        S.Mails.Add(new MailView(mail.Key, mail.Purpose, mail.Target, MailStatus.Queued, null, 0, now));
        S.View = view with { Status = view.Done ? RequestStatus.Done : RequestStatus.InProgress, LastUpdate = now, HandledBy = view.HandledBy ?? agentName };
        await state.WriteStateAsync();
        await Outbox.Enqueue([mail]);
        await agents.CallbackRequested(SiteId, View());
        return View();
    }

    public async Task Due()
    {
        if (S.View is not { Done: false } view || view.Due) return;
        S.View = view with { Due = true, LastUpdate = clock.GetUtcNow() };
        await state.WriteStateAsync();
        await agents.CallbackRequested(SiteId, View());
        await events.Publish(SiteId, Events.CallbackDue, EventData());
    }

    public async Task MailChanged(MailView mail)
    {
        if (S.View is null) return;
        var index = S.Mails.FindIndex(m => m.MailId == mail.MailId);
        if (index < 0) S.Mails.Add(mail);
        else if (S.Mails[index].Status == MailStatus.Sent) return; // a late report never undoes "sent"
        else S.Mails[index] = mail;
        await state.WriteStateAsync();
        await agents.CallbackRequested(SiteId, View());
    }

    public async Task Forget()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private CallbackView View() => S.View! with { Mails = S.Mails.ToList(), Replies = S.Replies.ToList() };

    private async Task<TimeZoneInfo> Zone() => (await directory.Get(SiteId)).Hours.Zone;

    private object EventData()
    {
        var v = S.View!;
        return new { reference = v.Reference, kind = v.Kind, status = v.Status, visitorId = v.VisitorId, name = v.Name, phone = v.Phone, email = v.Email, text = v.Text, at = v.At, createdAt = v.CreatedAt };
    }
}
