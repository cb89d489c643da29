using System.Diagnostics;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Testing;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Simulations;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// A visitor who chats: lingers until the invitation comes, accepts it (or starts a chat without one),
/// waits for an agent, then stays in the chat; the "chat-messages" Inject scenario makes it talk.
/// </summary>
internal static class ChattingVisitor
{
    public static Scenario Create(LoadEnvironment env) => Scenario.Create("chatting", ctx => RunAsync(env, ctx));

    /// <summary>One injected message: the next ready chatter sends one stamped message.</summary>
    public static Scenario Messages(LoadEnvironment env) => Scenario.Create("chat-messages", async ctx =>
    {
        if (env.Chatters.Next(c => c.Ready) is { } chatter) await chatter.SendNextAsync(ctx.Stop);
        else env.Metrics.Add(Counter.MessagesSkippedNoChatter);
    });

    private static async Task RunAsync(LoadEnvironment env, ScenarioContext ctx)
    {
        var ct = ctx.Stop;
        var metrics = env.Metrics;
        await using var session = new VisitorSession(env, ClientKind.Chatter);
        var chat = new ChatTracker(session, env, $"{env.IdPrefix}.{ctx.Number}");
        if (!await session.ConnectAsync(ct)) return;

        var waiter = session.ExpectInvitation();
        var enteredAt = Stopwatch.GetTimestamp();
        await session.HelloAsync(new PageInfo(env.Pages.For($"chat/{ctx.Number}"), "Chat page"), ct);
        var invitation = await session.AwaitInvitationAsync(waiter, enteredAt + env.Options.LingerSeconds * Stopwatch.Frequency, ct);

        var started = Stopwatch.GetTimestamp();
        try
        {
            string? conversationId = null;
            if (invitation is not null)
            {
                var accepted = await session.Connection.InvokeCoreAsync(
                    "AcceptInvitation", typeof(JsonElement), [new InvitationRequest(invitation.Invitation.InvitationId)], ct);
                metrics.Add(Counter.ChatsAcceptedInvitation);
                conversationId = ReadConversationId(accepted);
            }
            if (conversationId is null)
            {
                var result = await session.Calls.StartChat(new StartChatRequest("Hello from the load test"), ct);
                conversationId = result.ConversationId;
            }
            chat.ConversationId = conversationId;
            metrics.Add(Counter.ChatsStarted);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.ChatStartFailed);
            await Task.Delay(Timeout.Infinite, ct);
            return;
        }

        if (!await chat.WaitForAgentAsync(env.Options.AgentWait, ct))
        {
            metrics.Add(Counter.ChatsNoAgent);
            await Task.Delay(Timeout.Infinite, ct);
            return;
        }
        metrics.TimeToAgent.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
        metrics.Add(Counter.ChatsAgentJoined);

        chat.InChat = true;
        chat.Ready = true;
        session.StormEligible = true;
        env.Chatters.Add(chat);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            chat.Ready = false;
            env.Chatters.Remove(chat);
            await chat.FinalResyncAsync();
            if (env.Options.ClusterMode) await chat.VerifyAsync();
        }
    }

    private static string? ReadConversationId(object? result) =>
        result is JsonElement { ValueKind: JsonValueKind.Object } e
        && e.TryGetProperty("conversationId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
}
