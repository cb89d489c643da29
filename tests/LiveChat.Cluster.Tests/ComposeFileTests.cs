using System.Text.RegularExpressions;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace LiveChat.Cluster.Tests;

/// <summary>
/// <c>deploy/docker-compose.yml</c> checked as far as a machine without a Docker engine can: every setting it gives a
/// node binds to the server's own options classes (the real binder, refusing unknown keys) and passes the start-up
/// validation, and the nginx it runs is the config <see cref="BehindNginxTests"/> ran, pointed at the compose nodes.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Deploy = Path.Combine(ServerBuild.RepositoryRoot(), "deploy");

    [Fact]
    public void EveryNodeSettingIsAKeyTheServerKnowsAndTheNodeWouldStart()
    {
        var nodes = NodeServices();
        Assert.Equal(["node1", "node2", "node3"], nodes.Keys.Order());
        foreach (var (name, service) in nodes)
        {
            var environment = Environment(service);
            var liveChat = environment.Where(e => e.Key.StartsWith("LiveChat__", StringComparison.Ordinal))
                .ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value);
            var options = Bind(liveChat, $"{name}");
            var result = new LiveChatOptionsValidator(new HostingEnvironment { ContentRootPath = Path.Combine(ServerBuild.RepositoryRoot(), "src", "LiveChat.Server") })
                .Validate(null, options);
            Assert.True(result.Succeeded, $"{name}: {result.FailureMessage}");
            Assert.False(options.Embedded, $"{name} runs embedded: LiveChat__Redis is not set");

            // Everything else a node is given is read by OpenTelemetry, and documented for the operator.
            var documented = File.ReadAllText(Path.Combine(ServerBuild.RepositoryRoot(), "docs", "operations.md"));
            foreach (var key in environment.Keys.Where(k => !k.StartsWith("LiveChat__", StringComparison.Ordinal)))
            {
                Assert.True(key.StartsWith("OTEL_", StringComparison.Ordinal), $"{name}: '{key}' is neither a LiveChat key nor an OpenTelemetry one");
                Assert.True(documented.Contains($"`{key}`"), $"{name}: '{key}' is not in docs/operations.md");
            }
        }
    }

    [Fact]
    public void AMisspelledKeyIsCaught()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Bind(new() { ["LiveChat:ForwardedHeaders:KnownProxy:0"] = "10.0.0.5" }, "test"));
        Assert.Contains("KnownProxy", failure.Message);
    }

    [Fact]
    public void TheLoadBalancerRunsTheNginxConfigTheTestsRanInFrontOfTheNodes()
    {
        var services = Services();
        var lb = Map(services["lb"]);
        var mounts = ((List<object>)lb["volumes"]).Cast<string>().Select(v => v.Split(':')).Where(v => v[1] == "/etc/nginx/nginx.conf").ToList();
        var mount = Assert.Single(mounts);
        Assert.Equal(Path.GetFullPath(Nginx.ConfigTemplate), Path.GetFullPath(Path.Combine(Deploy, mount[0])));

        // Its upstream is exactly the compose nodes, on the port their command listens on.
        var config = File.ReadAllText(Nginx.ConfigTemplate);
        var upstream = UpstreamServer().Matches(config).Select(m => m.Groups["server"].Value).Order().ToList();
        var nodes = NodeServices().Select(n => $"{n.Key}:{new Uri(Command(n.Value).SkipWhile(a => a != "--urls").ElementAt(1)).Port}");
        Assert.Equal(nodes.Order(), upstream);

        // The nodes believe X-Forwarded-For from the lb's address, and only from it.
        var lbAddress = (string)Map(Map(lb["networks"])["default"])["ipv4_address"];
        foreach (var (name, service) in NodeServices())
        {
            var options = Bind(Environment(service).Where(e => e.Key.StartsWith("LiveChat__", StringComparison.Ordinal)).ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value), name);
            Assert.Equal([lbAddress], options.ForwardedHeaders.KnownProxies);
            Assert.Empty(options.ForwardedHeaders.KnownNetworks);
        }
    }

    /// <summary>The real configuration binder, refusing any key that no options property takes.</summary>
    private static LiveChatOptions Bind(Dictionary<string, string?> settings, string service)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        try
        {
            return configuration.GetSection(LiveChatOptions.Section).Get<LiveChatOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new LiveChatOptions();
        }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{service}: {e.Message}", e); }
    }

    private static Dictionary<object, object> Services()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Deploy, "docker-compose.yml")));
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return Map(compose["services"]);
    }

    /// <summary>The services that run a LiveChat node.</summary>
    private static Dictionary<string, Dictionary<object, object>> NodeServices() =>
        Services().Where(s => Map(s.Value).ContainsKey("command") && Command(Map(s.Value)).Contains("LiveChat.Server.dll"))
            .ToDictionary(s => (string)s.Key, s => Map(s.Value));

    private static List<string> Command(Dictionary<object, object> service) => ((List<object>)service["command"]).Cast<string>().ToList();

    /// <summary>A service's environment with compose's interpolation done: defaults taken, required variables given a value.</summary>
    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        Map(service["environment"]).ToDictionary(e => (string)e.Key, e => Interpolation().Replace(e.Value?.ToString() ?? "", m => m.Groups["op"].Value switch
        {
            ":-" or "-" => m.Groups["word"].Value,
            ":?" or "?" when m.Groups["name"].Value == "LIVECHAT_ADMIN_PASSWORD_HASH" => AgentAccounts.Hash("a long compose password"),
            ":?" or "?" => throw new InvalidOperationException($"docker-compose.yml requires ${{{m.Groups["name"].Value}}}, which this test does not know"),
            _ => "",
        }));

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<word>[^}]*))?\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^\s*server\s+(?<server>[^\s;]+)[^;\n]*;", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
