using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Testing;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>One visitor's connection to /hubs/visitor: connect, Hello, the browsing calls, pushes, and resume after a drop.</summary>
internal sealed class VisitorSession(LoadEnvironment env, ClientKind kind) : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly RunMetrics metrics = env.Metrics;
    private HubClient? client;
    private TaskCompletionSource<ReceivedInvitation>? invitationWaiter;
    private readonly HashSet<string> invitationsSeen = [];
    private volatile Task connected = Task.CompletedTask;
    private CancellationToken stop;
    // Round-robin over the cluster's nodes; after a node is lost, the next node that lets us in.
    private int node = env.NextNode();

    public string? VisitorId { get; private set; }
    public string? Token { get; private set; }
    public PageInfo Page { get; private set; } = new(env.Pages.For("landing"));
    /// <summary>The storm may only cut visitors whose measurements a drop wouldn't spoil.</summary>
    public bool StormEligible { get; set; }
    public HubConnection Connection => client?.Connection ?? throw new InvalidOperationException("not connected");

    /// <summary>The visitor hub's methods, typed, on the current connection.</summary>
    public VisitorHubCalls Calls => new(Connection);

    public Action<ChatMessage>? OnMessage { get; set; }
    public Action<AgentJoinedView>? OnAgentJoined { get; set; }
    /// <summary>Called before the storm cuts the connection and after it is resumed (Hello result given).</summary>
    public Func<Task>? BeforeDrop { get; set; }
    public Func<HelloResult, Task>? AfterResume { get; set; }
    /// <summary>Cluster: called when the connection is lost (not on purpose), and after Hello succeeded on another node.</summary>
    public Action? OnLost { get; set; }
    public Func<HelloResult, long, Task>? AfterFailover { get; set; }
    /// <summary>Awaitable while a reconnect is under way.</summary>
    public Task Connected => connected;

    private Counter Attempted => kind == ClientKind.Chatter ? Counter.ChatterConnectAttempted : Counter.VisitorConnectAttempted;
    private Counter Established => kind == ClientKind.Chatter ? Counter.ChatterConnectEstablished : Counter.VisitorConnectEstablished;
    private Counter Failed => kind == ClientKind.Chatter ? Counter.ChatterConnectFailed : Counter.VisitorConnectFailed;
    private Counter Dropped => kind == ClientKind.Chatter ? Counter.ChatterDropped : Counter.VisitorDropped;

    public async Task<bool> ConnectAsync(CancellationToken ct, bool failover = false)
    {
        stop = ct;
        await env.ConnectGate.WaitAsync(ct);
        var client = env.Hubs.Create($"/hubs/visitor?site={Uri.EscapeDataString(env.Options.Site)}", node: node);
        try
        {
            Register(client.Connection);
            if (!failover) metrics.Add(Attempted);
            var started = Stopwatch.GetTimestamp();
            await client.Connection.StartAsync(ct);
            // A failover's connections are counted by the failover (resumed / retries), not as new visitors.
            if (!failover)
            {
                metrics.Connect.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
                metrics.Add(Established);
            }
            metrics.Connected(kind, +1);
            client.Connection.Closed += error =>
            {
                metrics.Connected(kind, -1);
                if (client.Intentional) return Task.CompletedTask;
                var killed = env.KilledNode;
                if (killed >= 0 && client.Node == killed)
                    metrics.Add(kind == ClientKind.Chatter ? Counter.NodeKillDroppedChatters : Counter.NodeKillDroppedVisitors);
                else metrics.Add(Dropped);
                if (env.Options.ClusterMode && !stop.IsCancellationRequested) _ = FailoverAsync(client, killed >= 0 && client.Node == killed);
                return Task.CompletedTask;
            };
            this.client = client;
            env.Sessions.TryAdd(this, 0);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(failover ? Counter.NodeKillReconnectRetries : Failed);
            client.Intentional = true;
            await client.DisposeAsync();
            return false;
        }
        catch (OperationCanceledException)
        {
            client.Intentional = true;
            await client.DisposeAsync();
            throw;
        }
        finally
        {
            env.ConnectGate.Release();
        }
    }

    private void Register(HubConnection c)
    {
        var on = new VisitorHubPushes(c);
        on.Invitation(DeliverInvitation);
        on.Message(m => OnMessage?.Invoke(m));
        on.AgentJoined(a => OnAgentJoined?.Invoke(a));
        // Pushes we receive but don't measure: handlers keep the client from logging each as unknown.
        on.Queue(_ => { });
        on.Typing(_ => { });
        on.ChatEnded(_ => { });
        on.Notice(_ => { });
        on.NoticeCleared(_ => { });
    }

    public async Task<HelloResult> HelloAsync(PageInfo page, CancellationToken ct)
    {
        Page = page;
        var result = await Calls.Hello(new HelloRequest(VisitorId, Token, page), ct);
        VisitorId = result.VisitorId;
        Token = result.Token;
        metrics.Add(Counter.Hellos);
        if (result.Invitation is { } invitation) DeliverInvitation(invitation);
        return result;
    }

    public Task PageViewAsync(PageInfo page, CancellationToken ct)
    {
        Page = page;
        pageAt = Stopwatch.GetTimestamp();
        return Call(c => c.PageView(page, ct), Counter.PageViews, ct);
    }

    public Task VisibilityAsync(bool visible, CancellationToken ct) =>
        Call(c => c.Visibility(new VisibilityRequest(visible), ct), Counter.VisibilityChanges, ct);

    public Task TrackAsync(string name, object properties, CancellationToken ct) =>
        Call(c => c.Track(new { name, properties }, ct), Counter.TrackEvents, ct);

    private async Task Call(Func<VisitorHubCalls, Task> call, Counter counter, CancellationToken ct)
    {
        try
        {
            // Like the widget, hold calls while a reconnect is under way rather than fail them.
            await connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
            await call(Calls);
            metrics.Add(counter);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.InvokeErrors);
        }
    }

    /// <summary>Call before the action that makes an invitation due, so a fast push can't be missed.</summary>
    public Task<ReceivedInvitation> ExpectInvitation()
    {
        lock (gate)
        {
            invitationWaiter = new TaskCompletionSource<ReceivedInvitation>(TaskCreationOptions.RunContinuationsAsynchronously);
            return invitationWaiter.Task;
        }
    }

    private void DeliverInvitation(InvitationView invitation)
    {
        var at = Stopwatch.GetTimestamp();
        lock (gate)
        {
            // Hello after a reconnect hands back the still-open invitation: the same one, not a new one.
            if (!invitationsSeen.Add(invitation.InvitationId)) return;
            if (invitationWaiter is { } waiter && waiter.TrySetResult(new ReceivedInvitation(invitation, at)))
            {
                invitationWaiter = null;
                return;
            }
        }
        metrics.Add(Counter.InvitationsUnexpected);
        if (Environment.GetEnvironmentVariable("LOADTEST_DEBUG") == "1")
            Console.Error.WriteLine($"unexpected invitation {invitation.RuleId} for {VisitorId} on {Page.Url}, {Stopwatch.GetElapsedTime(pageAt).TotalMilliseconds:0} ms after the page");
    }

    private long pageAt;

    /// <summary>Waits for the invitation until <paramref name="dueAt"/> + the timeout and records due, delivered, missed, lateness.</summary>
    public async Task<ReceivedInvitation?> AwaitInvitationAsync(Task<ReceivedInvitation> waiter, long dueAt, CancellationToken ct)
    {
        var deadline = dueAt + (long)(env.Options.InvitationTimeout.TotalSeconds * Stopwatch.Frequency);
        var wait = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
        var done = await Task.WhenAny(waiter, Task.Delay(wait, ct));
        if (done != waiter)
        {
            ct.ThrowIfCancellationRequested(); // the run ended first: neither due nor missed
            lock (gate) invitationWaiter = null;
            metrics.Add(Counter.InvitationsDue);
            metrics.Add(Counter.InvitationsMissed);
            return null;
        }
        var received = await waiter;
        var lateness = (received.At - dueAt) / (double)Stopwatch.Frequency;
        metrics.Add(Counter.InvitationsDue);
        metrics.Add(Counter.InvitationsDelivered);
        if (lateness < -0.25) metrics.Add(Counter.InvitationsEarly);
        metrics.InvitationLateness.Record(TimeSpan.FromSeconds(Math.Max(0, lateness)), metrics.Elapsed);
        return received;
    }

    /// <summary>Reconnect storm: cut the socket like a lost network, then come back with Hello + token.</summary>
    public async Task DropAndResumeAsync(CancellationToken ct)
    {
        if (client is not { } old) return;
        if (BeforeDrop is { } before) await before();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connected = resumed.Task;
        var started = Stopwatch.GetTimestamp();
        old.Intentional = true;
        old.Abort();
        metrics.Add(Counter.StormDrops);
        _ = old.DisposeAsync().AsTask();
        var previousId = VisitorId;
        try
        {
            if (!await ConnectAsync(ct))
            {
                metrics.Add(Counter.StormResumeFailed);
                return;
            }
            var hello = await HelloAsync(Page, ct);
            metrics.Reconnect.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
            metrics.Add(hello.VisitorId == previousId ? Counter.StormResumed : Counter.StormResumeFailed);
            if (AfterResume is { } after) await after(hello);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.StormResumeFailed);
        }
        finally
        {
            resumed.TrySetResult();
        }
    }

    /// <summary>
    /// Cluster: the connection was lost (its node died). Like the widget: connect to another node, Hello with the token,
    /// then the chatter resyncs and resends. Tries the nodes in turn for up to 90 s; a node whose grains are being
    /// re-placed may refuse Hello for a few seconds.
    /// </summary>
    private async Task FailoverAsync(HubClient lost, bool byKill)
    {
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connected = resumed.Task;
        OnLost?.Invoke();
        _ = lost.DisposeAsync().AsTask();
        var previousId = VisitorId;
        var deadline = Stopwatch.StartNew();
        var ct = stop;
        try
        {
            while (!ct.IsCancellationRequested && deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                node = (node + 1) % env.Hubs.Nodes.Count;
                if (env.KilledNode == node) node = (node + 1) % env.Hubs.Nodes.Count;
                if (!await ConnectAsync(ct, failover: true)) { await Task.Delay(500, ct); continue; }
                HelloResult hello;
                try { hello = await HelloAsync(Page, ct); }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    metrics.Add(Counter.NodeKillReconnectRetries);
                    if (client is { } bad) { bad.Intentional = true; await bad.DisposeAsync(); }
                    await Task.Delay(500, ct);
                    continue;
                }
                var helloAt = Stopwatch.GetTimestamp();
                if (byKill)
                {
                    metrics.Add(kind == ClientKind.Chatter ? Counter.NodeKillResumedChatters : Counter.NodeKillResumedVisitors);
                    if (hello.VisitorId == previousId) metrics.Add(Counter.NodeKillResumedSameVisitor);
                    metrics.NodeKillResume.Record(Stopwatch.GetElapsedTime(Interlocked.Read(ref env.NodeKilledAt), helloAt), metrics.Elapsed);
                }
                resumed.TrySetResult();
                if (AfterFailover is { } after) await after(hello, byKill ? Interlocked.Read(ref env.NodeKilledAt) : 0);
                return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception) { /* counted below */ }
        finally
        {
            resumed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        env.Sessions.TryRemove(this, out _);
        if (this.client is { } client)
        {
            client.Intentional = true;
            await client.DisposeAsync();
        }
    }
}

internal sealed record ReceivedInvitation(InvitationView Invitation, long At);
