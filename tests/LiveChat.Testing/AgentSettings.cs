namespace LiveChat.Testing;

/// <summary>
/// Builds the <c>LiveChat:Agents:N:*</c> settings for a list of accounts, as configuration keys (<c>LiveChat:Agents:0:Id</c>)
/// for an in-process server or as environment variables (<c>LiveChat__Agents__0__Id</c>) for a node process.
/// Configured agents replace the seeded demo agent: add <c>demo</c> yourself when a test needs it.
/// </summary>
public sealed class AgentSettings
{
    private readonly List<Account> accounts = [];
    private readonly Dictionary<string, string> hashes = [];

    /// <summary>
    /// One account on <paramref name="sites"/> (default <c>demo</c>). Without <paramref name="name"/> or <paramref name="roles"/>
    /// no key is written, so the server's defaults apply (roles: <c>agent</c>).
    /// </summary>
    /// <param name="iterations">PBKDF2 iterations of the hash; accounts with the same password share one hash.</param>
    public AgentSettings Add(string id, string password, string? name = null, IEnumerable<string>? sites = null, IEnumerable<string>? roles = null,
        int iterations = PasswordHash.DefaultIterations)
    {
        var key = $"{iterations}\n{password}";
        if (!hashes.TryGetValue(key, out var hash)) hashes[key] = hash = PasswordHash.Create(password, iterations);
        accounts.Add(new Account(id, name, hash, (sites ?? ["demo"]).ToList(), roles?.ToList() ?? []));
        return this;
    }

    public int Count => accounts.Count;

    /// <summary><c>LiveChat:Agents:N:…</c> keys, for <c>AddInMemoryCollection</c> or a test server's settings.</summary>
    public Dictionary<string, string?> ToConfiguration() => Pairs(":").ToDictionary(p => p.Key, p => (string?)p.Value);

    /// <summary><c>LiveChat__Agents__N__…</c> environment variables, for a node process.</summary>
    public Dictionary<string, string> ToEnvironment() => Pairs("__").ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Adds this builder's keys to <paramref name="settings"/> (same separator as the keys already there).</summary>
    public void AddTo(IDictionary<string, string?> settings, string separator = ":")
    {
        foreach (var (key, value) in Pairs(separator)) settings[key] = value;
    }

    private IEnumerable<KeyValuePair<string, string>> Pairs(string s)
    {
        for (var i = 0; i < accounts.Count; i++)
        {
            var (id, name, hash, sites, roles) = accounts[i];
            var prefix = $"LiveChat{s}Agents{s}{i}{s}";
            yield return new(prefix + "Id", id);
            if (name is not null) yield return new(prefix + "Name", name);
            for (var j = 0; j < sites.Count; j++) yield return new($"{prefix}Sites{s}{j}", sites[j]);
            for (var j = 0; j < roles.Count; j++) yield return new($"{prefix}Roles{s}{j}", roles[j]);
            yield return new(prefix + "PasswordHash", hash);
        }
    }

    private sealed record Account(string Id, string? Name, string Hash, List<string> Sites, List<string> Roles);
}
