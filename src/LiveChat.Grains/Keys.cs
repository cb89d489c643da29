namespace LiveChat.Grains;

/// <summary>Composite grain keys: <c>{siteId}/{id}</c>.</summary>
public static class Keys
{
    public static string Of(string siteId, string id) => $"{siteId}/{id}";

    public static (string SiteId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Short random ids (conversation, invitation, message): 16 hex chars, unguessable enough for ids that are always checked against their owner.</summary>
    public static string NewId(string prefix) => prefix + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
