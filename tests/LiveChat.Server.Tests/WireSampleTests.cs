using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Agents;
using LiveChat.Server.Tests.Infrastructure;
using LiveChat.Server.Visitors;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Tests;

/// <summary>
/// The wire's one source is LiveChat.Contracts. This writes a JSON sample of every push (IVisitorClient, IAgentClient)
/// and every hub result (VisitorHub, AgentHub), serialised with the server's own SignalR JSON options, and every closed
/// set's values, to <c>artifacts/wire/samples.json</c>; <c>widget/wire/samples.test.mjs</c> then type-checks them against
/// <c>widget/src/shared/protocol.ts</c> (test.sh runs it after this suite), so a field missing, extra or retyped there fails.
/// </summary>
public sealed class WireSampleTests
{
    /// <summary>The string properties whose values are a closed set, by record and property: each gets every value checked.</summary>
    internal static readonly Dictionary<(Type Record, string Property), IReadOnlyList<string>> ClosedSets = new()
    {
        [(typeof(ChatMessage), nameof(ChatMessage.From))] = Senders.All,
        [(typeof(TypingView), nameof(TypingView.From))] = Senders.All,
        [(typeof(ConversationView), nameof(ConversationView.Status))] = ConversationStatus.All,
        [(typeof(ConversationSummary), nameof(ConversationSummary.Status))] = ConversationStatus.All,
        [(typeof(AgentInfo), nameof(AgentInfo.Status))] = AgentStatus.All,
        [(typeof(NoticeView), nameof(NoticeView.Severity))] = NoticeSeverity.All,
        [(typeof(InvitationView), nameof(InvitationView.Offers))] = Offers.All,
        [(typeof(QueueView), nameof(QueueView.Alternatives))] = Alternatives.All,
        [(typeof(StartChatResult), nameof(StartChatResult.Alternatives))] = Alternatives.All,
        [(typeof(SiteInfo), nameof(SiteInfo.Availability))] = Availability.All,
        [(typeof(ChatEndedView), nameof(ChatEndedView.Reason))] = CloseReasons.All,
        [(typeof(ConversationClosedView), nameof(ConversationClosedView.Reason))] = CloseReasons.All,
        [(typeof(RequestStatusView), nameof(RequestStatusView.Kind))] = RequestKinds.All,
        [(typeof(RequestStatusView), nameof(RequestStatusView.Status))] = RequestStatus.All,
        [(typeof(CallbackView), nameof(CallbackView.Kind))] = RequestKinds.All,
        [(typeof(CallbackView), nameof(CallbackView.Status))] = RequestStatus.All,
        [(typeof(MailView), nameof(MailView.Status))] = MailStatus.All,
        [(typeof(MailView), nameof(MailView.Purpose))] = MailPurpose.All,
        [(typeof(ContactView), nameof(ContactView.Kind))] = ContactKinds.All,
        [(typeof(ContactView), nameof(ContactView.Via))] = [ContactKeys.ByVisitor, ContactKeys.ByPhone, ContactKeys.ByEmail],
        [(typeof(VisitorsPage), nameof(VisitorsPage.Filter))] = VisitorFilters.All,
        [(typeof(VisitorsPage), nameof(VisitorsPage.Sort))] = VisitorSorts.All,
    };

    [Fact]
    public async Task WritesASampleOfEveryPushAndResult()
    {
        await using var server = await TestServer.Start();
        var json = server.Services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
        var samples = new WireSamples(json);

        var document = new JsonObject
        {
            ["visitor"] = Hub(samples, typeof(IVisitorClient), typeof(VisitorHub)),
            ["agent"] = Hub(samples, typeof(IAgentClient), typeof(AgentHub)),
            ["sets"] = Sets(json),
        };
        // Every record's fields by name, so a TS interface with a field the server never sends (even optional) fails too.
        document["records"] = new JsonObject(samples.Records.OrderBy(r => r.Name).Select(r => KeyValuePair.Create(r.Name,
            (JsonNode?)new JsonArray(r.GetProperties().Where(p => p.Name != "EqualityContract").Select(p => (JsonNode?)(json.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name)).ToArray()))));

        Assert.Contains("Hello", document["visitor"]!["results"]!.AsObject().Select(p => p.Key));
        Assert.True(samples.Records.Count > 30, $"only {samples.Records.Count} records sampled");
        foreach (var (record, property) in ClosedSets.Keys)
            Assert.True(record.GetProperty(property) is not null, $"{record.Name}.{property} is no property");
        var file = Path.Combine(RepoRoot(), "artifacts", "wire", "samples.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"{samples.Records.Count} records → {file}");
    }

    /// <summary>Every pushed method with its payload (a full and a minimal sample), every hub method with its result (null: none).</summary>
    private static JsonObject Hub(WireSamples samples, Type client, Type hub)
    {
        var pushes = new JsonObject();
        foreach (var m in client.GetMethods().OrderBy(m => m.Name))
            pushes[m.Name] = samples.Both(m.GetParameters().Single().ParameterType);
        var results = new JsonObject();
        foreach (var m in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                     .Where(m => m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync")).OrderBy(m => m.Name))
            results[m.Name] = m.ReturnType.IsGenericType ? samples.Both(m.ReturnType.GetGenericArguments()[0]) : null;
        return new JsonObject { ["pushes"] = pushes, ["results"] = results };
    }

    private static JsonObject Sets(JsonSerializerOptions json)
    {
        var sets = new JsonObject();
        foreach (var ((record, property), values) in ClosedSets)
            sets[$"{record.Name}.{json.PropertyNamingPolicy?.ConvertName(property) ?? property}"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        return sets;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LiveChat.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Builds an instance of a contract record by reflection: "full" fills every optional field and list (closed sets
/// with all their values), "minimal" leaves every nullable null and every list empty, so both shapes reach the check.
/// </summary>
internal sealed class WireSamples(JsonSerializerOptions json)
{
    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public HashSet<Type> Records { get; } = [];

    public JsonArray Both(Type type) => [Serialize(type, full: true), Serialize(type, full: false)];

    private JsonNode? Serialize(Type type, bool full) => JsonSerializer.SerializeToNode(Value(type, null, null, null, full, 0), type, json);

    private object? Value(Type type, NullabilityInfo? nullability, Type? owner, string? name, bool full, int depth)
    {
        if (depth > 8) throw new InvalidOperationException($"{owner?.Name}.{name}: nested too deep");
        var nullable = Nullable.GetUnderlyingType(type) is not null || nullability?.WriteState == NullabilityState.Nullable;
        if (nullable && !full) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var set = owner is not null && name is not null && WireSampleTests.ClosedSets.TryGetValue((owner, name), out var s) ? s : null;
        if (type == typeof(string)) return set?[0] ?? name ?? "text";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 3;
        if (type == typeof(long)) return 7L;
        if (type == typeof(decimal)) return 19.95m;
        if (type == typeof(double)) return 0.5;
        if (type == typeof(DateTimeOffset)) return At;
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g && (g == typeof(IReadOnlyList<>) || g == typeof(List<>) || g == typeof(IList<>)))
        {
            var item = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            if (!full) return list;
            if (set is not null && item == typeof(string)) foreach (var v in set) list.Add(v);
            else list.Add(Value(item, nullability?.GenericTypeArguments.FirstOrDefault(), owner, name, full, depth + 1));
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(type)!;
            if (full) dictionary["key"] = Value(type.GetGenericArguments()[1], null, null, null, full, depth + 1);
            return dictionary;
        }
        if (type.IsClass && type.Namespace?.StartsWith("LiveChat", StringComparison.Ordinal) == true) return Record(type, full, depth);
        throw new InvalidOperationException($"{owner?.Name}.{name}: no sample for {type}");
    }

    private object Record(Type type, bool full, int depth)
    {
        Records.Add(type);
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Value(p.ParameterType, Nullability.Create(p), type, p.Name, full, depth + 1));
        return constructor.Invoke(arguments.ToArray());
    }
}
