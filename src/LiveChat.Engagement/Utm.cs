namespace LiveChat.Engagement;

/// <summary>Reads what rules need from a page URL sent by the widget: the path and query, and the utm_campaign.</summary>
public static class Utm
{
    /// <summary>Longer URLs are cut: patterns then run on bounded input whatever a page sends.</summary>
    public const int MaxPathAndQueryLength = 2048;
    public const int MaxCampaignLength = 100;

    /// <summary>
    /// <c>https://shop.example/loans/rates?term=10#top</c> → <c>/loans/rates?term=10</c>. Relative URLs are accepted;
    /// the fragment is dropped; anything unreadable is <c>/</c>.
    /// </summary>
    public static string PathAndQuery(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "/";
        var text = url.Trim();
        var hash = text.IndexOf('#');
        if (hash >= 0) text = text[..hash];
        // By hand rather than with Uri, which re-escapes: rules then see the same text for absolute and relative URLs.
        var scheme = text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : text.StartsWith("//", StringComparison.Ordinal) ? 2
            : 0;
        if (scheme > 0)
        {
            var path = text.AsSpan(scheme).IndexOfAny('/', '?');
            if (path < 0) return "/";
            text = text[(scheme + path)..];
        }
        if (text.StartsWith('?')) return Cut("/" + text);
        return text.StartsWith('/') ? Cut(text) : "/";
    }

    /// <summary>The utm_campaign query value, decoded and trimmed; null when absent or empty.</summary>
    public static string? Campaign(string? url) => QueryValue(url, "utm_campaign");

    /// <summary>The first value of one query parameter (name compared ignoring case), decoded; null when absent or empty.</summary>
    public static string? QueryValue(string? url, string name)
    {
        if (string.IsNullOrEmpty(url)) return null;
        var end = url.IndexOf('#');
        if (end < 0) end = url.Length;
        var start = url.IndexOf('?', 0, end);
        if (start < 0) return null;
        var query = url.AsSpan(start + 1, end - start - 1);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (!key.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            if (eq < 0) return null;
            var value = Decode(pair[(eq + 1)..]).Trim();
            if (value.Length == 0) return null;
            return value.Length > MaxCampaignLength ? value[..MaxCampaignLength] : value;
        }
        return null;
    }

    private static string Decode(ReadOnlySpan<char> encoded)
    {
        var text = encoded.ToString().Replace('+', ' ');
        try { return Uri.UnescapeDataString(text); }
        catch (UriFormatException) { return text; }
    }

    private static string Cut(string text) => text.Length > MaxPathAndQueryLength ? text[..MaxPathAndQueryLength] : text;
}
