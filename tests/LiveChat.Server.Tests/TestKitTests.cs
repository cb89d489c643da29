using System.Reflection;
using LiveChat.Server.Agents;
using LiveChat.Server.Visitors;

namespace LiveChat.Server.Tests;

/// <summary>The test kit's typed hub clients name each hub method once; these checks keep those names true to the server's hubs.</summary>
public sealed class TestKitTests
{
    public static TheoryData<Type, Type> Calls => new() { { typeof(VisitorHubCalls), typeof(VisitorHub) }, { typeof(AgentHubCalls), typeof(AgentHub) } };
    public static TheoryData<Type, Type> Pushes => new() { { typeof(VisitorHubPushes), typeof(IVisitorClient) }, { typeof(AgentHubPushes), typeof(IAgentClient) } };

    [Theory]
    [MemberData(nameof(Calls))]
    public void EveryTypedCallIsAHubMethodWithTheSameArgument(Type kit, Type hub)
    {
        foreach (var call in Declared(kit))
        {
            var method = hub.GetMethod(call.Name, BindingFlags.Public | BindingFlags.Instance);
            Assert.True(method is not null, $"{hub.Name} has no method {call.Name}");
            var sent = call.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.ParameterType).ToList();
            var taken = method.GetParameters().Select(p => p.ParameterType).ToList();
            Assert.Equal(taken.Count, sent.Count);
            for (var i = 0; i < sent.Count; i++)
                Assert.True(sent[i] == typeof(object) || Nullable(sent[i]) == Nullable(taken[i]) || taken[i].IsAssignableFrom(sent[i]),
                    $"{call.Name}: the kit sends {sent[i].Name}, {hub.Name} takes {taken[i].Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Pushes))]
    public void EveryPushSubscriptionIsAClientMethodWithTheSamePayload(Type kit, Type client)
    {
        foreach (var push in Declared(kit))
        {
            var method = client.GetMethod(push.Name);
            Assert.True(method is not null, $"{client.Name} has no push {push.Name}");
            var payload = push.GetParameters().Single().ParameterType.GetGenericArguments().Single();
            Assert.Equal(method.GetParameters().Single().ParameterType, payload);
        }
    }

    [Fact]
    public void TheKitsPasswordHashIsOneTheServerAccepts()
    {
        var hasher = new Microsoft.AspNetCore.Identity.PasswordHasher<Configuration.AgentOptions>();
        foreach (var iterations in new[] { PasswordHash.DefaultIterations, 10_000 })
        {
            var hash = PasswordHash.Create("s3cret päss", iterations);
            Assert.NotEqual(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(new(), hash, "s3cret päss"));
            Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(new(), hash, "s3cret pass"));
        }
    }

    private static IEnumerable<MethodInfo> Declared(Type kit) =>
        kit.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName && m.Name is not ("Equals" or "GetHashCode" or "ToString"));

    private static Type Nullable(Type t) => System.Nullable.GetUnderlyingType(t) ?? t;
}
