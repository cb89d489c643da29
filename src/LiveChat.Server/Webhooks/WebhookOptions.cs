namespace LiveChat.Server.Webhooks;

/// <summary>One entry of <c>LiveChat:Sites:{id}:Webhooks</c>: where to POST which events, signed with <see cref="Secret"/>.</summary>
public sealed class WebhookOptions
{
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    /// <summary>Event names (see <see cref="Grains.Events"/>); empty → every event.</summary>
    public List<string> Events { get; set; } = [];
}
