using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>Bad input gets a clear hub error naming the field; the connection and the server keep serving.</summary>
public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    public static TheoryData<string, object, string> BadHellos => new()
    {
        { "no page", new { visitorId = "x" }, "page is required" },
        { "page without url", new { page = new { title = "t" } }, "page.url is required" },
        { "relative url", new { page = new { url = "/relative" } }, "page.url must be an absolute http(s) URL" },
        { "javascript url", new { page = new { url = "javascript:alert(1)" } }, "page.url must be an absolute http(s) URL" },
        { "huge title", new { page = new { url = "http://127.0.0.1/", title = new string('t', 301) } }, "page.title is longer than 300" },
    };

    [Theory]
    [MemberData(nameof(BadHellos))]
    public async Task BadHelloIsRefusedByName(string _, object request, string error)
    {
        await using var visitor = await Server.Visitor();

        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync<HelloResult>("Hello", request));

        Assert.Contains(error, refused.Message);
        Assert.NotNull(await visitor.Hello("/still-works"));
    }

    [Theory]
    [InlineData("Hello", "not an object")]
    [InlineData("Hello", 42)]
    [InlineData("SendMessage", true)]
    [InlineData("GetMessages", "yesterday")]
    public async Task WrongTypesGetAnErrorAndTheConnectionSurvives(string method, object argument)
    {
        await using var visitor = await Server.Visitor();

        await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeCoreAsync(method, typeof(object), [argument]));

        Assert.Equal(HubConnectionState.Connected, visitor.Connection.State);
        Assert.NotNull(await visitor.Hello("/after-bad-input"));
    }

    [Fact]
    public async Task WrongTypeInsideAnObjectIsRefused()
    {
        await using var visitor = await Server.Visitor();
        await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync<HelloResult>("Hello", new { page = new { url = 12345 } }));
        await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("Visibility", new { visible = "maybe" }));
    }

    [Fact]
    public async Task CallsBeforeHelloAreRefused()
    {
        await using var visitor = await Server.Visitor();

        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Send("hi"));

        Assert.Contains("call Hello first", refused.Message);
    }

    [Fact]
    public async Task OversizedMessageIsRefusedWithTheLimit()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/");
        await visitor.StartChat();

        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Send(new string('x', Limits.MessageText + 1)));

        Assert.Contains($"text is longer than {Limits.MessageText}", refused.Message);
        Assert.NotNull(await visitor.Send("a normal message"));
    }

    [Fact]
    public async Task NestedEventPropertiesAreRefusedByName()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/");

        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Track("cart_add", new { sku = new { deep = 1 } }));

        Assert.Contains("properties.sku must be a string, number or boolean", refused.Message);
    }

    [Fact]
    public async Task BadPhoneNumberIsRefusedByName()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/");

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("call me maybe", null, null)));

        Assert.Contains("phone is not a phone number", refused.Message);
    }

    [Fact]
    public async Task UnknownSiteIsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var visitor = await Server.Visitor("no-such-site");
            await visitor.Hello("/");
        });
    }

    [Fact]
    public async Task AgentHubNeedsSignIn()
    {
        var connection = new HubConnectionBuilder().WithUrl($"{Server.Url}/hubs/agent").Build();
        await using var _ = connection;

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AgentCannotWriteIntoAConversationThatIsNotTheirs()
    {
        await using var agent = await Server.Agent();

        var refused = await Assert.ThrowsAsync<HubException>(() => agent.Send("c-0000000000000000", "hello?"));

        Assert.Contains("no such conversation", refused.Message);
    }
}
