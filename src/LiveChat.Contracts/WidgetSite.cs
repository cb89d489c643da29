namespace LiveChat.Contracts;

/// <summary>
/// <c>GET /api/widget/{siteId}</c>: what the widget needs before it may connect — whether it must wait for the
/// page's consent, and the phone number it shows meanwhile (help is never hidden). Public, cacheable, no cookies.
/// </summary>
public sealed record WidgetSiteView(bool ConsentRequired, string? PhoneNumber);
