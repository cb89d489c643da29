namespace LiveChat.Grains;

/// <summary>The parts of a page URL that rules look at.</summary>
internal static class UrlParts
{
    public static string PathAndQuery(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;

    public static string? Campaign(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2) return null;
        foreach (var pair in uri.Query[1..].Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == "utm_campaign") return Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }
}
