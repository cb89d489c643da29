using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>Every hub error is "code: text" (docs/protocol.md, "Errors"): the UIs decide on the code, never on the English.</summary>
public sealed class ReasonCodeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task AgentWritingIntoAnEndedChatIsToldTheConversationEnded()
    {
        var (visitor, agent, id) = await Server.ChatWithAgent();
        await using var _ = visitor;
        await using var __ = agent;
        await visitor.Connection.InvokeAsync("EndChat", new EndChatRequest());
        Assert.Equal(CloseReasons.ByVisitor, (await agent.Closed.Next(c => c.ConversationId == id)).Reason);

        var refused = await Assert.ThrowsAsync<HubException>(() => agent.Send(id, "are you still there?"));

        Assert.Equal("conversation-ended", Code(refused));
        Assert.EndsWith("conversation-ended: this conversation has ended", refused.Message);
    }

    [Fact]
    public async Task EachRefusalNamesItsCode()
    {
        await using var stranger = await Server.Visitor();
        Assert.Equal(ReasonCodes.NoVisitor, Code(await Assert.ThrowsAsync<HubException>(() => stranger.Send("hello"))));

        await using var visitor = await Server.Visitor();
        await visitor.Hello("/codes");
        var invalid = await Assert.ThrowsAsync<HubException>(() => visitor.Send(new string('x', Limits.MessageText + 1)));
        Assert.Equal(ReasonCodes.Invalid, Code(invalid));
        Assert.Contains($"invalid: text is longer than {Limits.MessageText} characters", invalid.Message);

        await using var agent = await Server.Agent();
        var foreign = await Assert.ThrowsAsync<HubException>(() => agent.Send("c-0000000000000000", "hello?"));
        Assert.EndsWith("not-found: conversationId: no such conversation", foreign.Message);
        // A grain's refusal without a more specific code still starts with one.
        var notOpen = await Assert.ThrowsAsync<HubException>(() => visitor.Accept("i-0000000000000000"));
        Assert.EndsWith("refused: that invitation is not open", notOpen.Message);
    }

    [Fact]
    public void TheCodesAreDistinctKebabCaseAndDocumented()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "protocol.md"));
        Assert.Equal(ReasonCodes.All.Count, ReasonCodes.All.Distinct().Count());
        foreach (var code in ReasonCodes.All)
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", code);
            Assert.Contains($"`{code}`", doc);
        }
        foreach (var reason in CloseReasons.All) Assert.Contains($"`{reason}`", doc);
    }

    /// <summary>The code of a refused invocation, as the widget and the console read it (widget/src/shared/refusal.ts).</summary>
    private static string Code(HubException e)
    {
        var text = e.Message[(e.Message.IndexOf("HubException: ", StringComparison.Ordinal) + "HubException: ".Length)..];
        return text[..text.IndexOf(": ", StringComparison.Ordinal)];
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
