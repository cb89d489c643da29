using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>One visitor's connection to /hubs/visitor: connect, Hello, the browsing calls, pushes, and resume after a drop.</summary>
internal sealed class VisitorSession(LoadEnvironment env, ClientKind kind) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly RunMetrics _metrics = env.Metrics;
    private HubClient? _client;
    private TaskCompletionSource<ReceivedInvitation>? _invitationWaiter;
    private readonly HashSet<string> _invitationsSeen = [];
    private volatile Task _connected = Task.CompletedTask;

    public string? VisitorId { get; private set; }
    public string? Token { get; private set; }
    public PageInfo Page { get; private set; } = new(env.Pages.For("landing"));
    /// <summary>The storm may only cut visitors whose measurements a drop wouldn't spoil.</summary>
    public bool StormEligible { get; set; }
    public HubConnection Connection => _client?.Connection ?? throw new InvalidOperationException("not connected");

    public Action<ChatMessage>? OnMessage { get; set; }
    public Action<AgentJoinedView>? OnAgentJoined { get; set; }
    /// <summary>Called before the storm cuts the connection and after it is resumed (Hello result given).</summary>
    public Func<Task>? BeforeDrop { get; set; }
    public Func<HelloResult, Task>? AfterResume { get; set; }

    private Counter Attempted => kind == ClientKind.Chatter ? Counter.ChatterConnectAttempted : Counter.VisitorConnectAttempted;
    private Counter Established => kind == ClientKind.Chatter ? Counter.ChatterConnectEstablished : Counter.VisitorConnectEstablished;
    private Counter Failed => kind == ClientKind.Chatter ? Counter.ChatterConnectFailed : Counter.VisitorConnectFailed;
    private Counter Dropped => kind == ClientKind.Chatter ? Counter.ChatterDropped : Counter.VisitorDropped;

    public async Task<bool> ConnectAsync(CancellationToken ct)
    {
        await env.ConnectGate.WaitAsync(ct);
        var client = env.Hubs.Create($"/hubs/visitor?site={Uri.EscapeDataString(env.Options.Site)}");
        try
        {
            Register(client.Connection);
            _metrics.Add(Attempted);
            var started = Stopwatch.GetTimestamp();
            await client.Connection.StartAsync(ct);
            _metrics.Connect.Record(Stopwatch.GetElapsedTime(started), _metrics.Elapsed);
            _metrics.Add(Established);
            _metrics.Connected(kind, +1);
            client.Connection.Closed += _ =>
            {
                _metrics.Connected(kind, -1);
                if (!client.Intentional) _metrics.Add(Dropped);
                return Task.CompletedTask;
            };
            _client = client;
            env.Sessions.TryAdd(this, 0);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _metrics.Add(Failed);
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
        c.On<InvitationView>("Invitation", DeliverInvitation);
        c.On<ChatMessage>("Message", m => OnMessage?.Invoke(m));
        c.On<AgentJoinedView>("AgentJoined", a => OnAgentJoined?.Invoke(a));
        // Pushes we receive but don't measure: handlers keep the client from logging each as unknown.
        c.On<QueueView>("Queue", _ => { });
        c.On<TypingView>("Typing", _ => { });
        c.On<ChatEndedView>("ChatEnded", _ => { });
        c.On<NoticeView>("Notice", _ => { });
        c.On<NoticeClearedView>("NoticeCleared", _ => { });
    }

    public async Task<HelloResult> HelloAsync(PageInfo page, CancellationToken ct)
    {
        Page = page;
        var result = await Connection.InvokeAsync<HelloResult>("Hello", new HelloRequest(VisitorId, Token, page), ct);
        VisitorId = result.VisitorId;
        Token = result.Token;
        _metrics.Add(Counter.Hellos);
        if (result.Invitation is { } invitation) DeliverInvitation(invitation);
        return result;
    }

    public Task PageViewAsync(PageInfo page, CancellationToken ct)
    {
        Page = page;
        _pageAt = Stopwatch.GetTimestamp();
        return Call("PageView", page, Counter.PageViews, ct);
    }

    public Task VisibilityAsync(bool visible, CancellationToken ct) =>
        Call("Visibility", new VisibilityRequest(visible), Counter.VisibilityChanges, ct);

    public Task TrackAsync(string name, object properties, CancellationToken ct) =>
        Call("Track", new { name, properties }, Counter.TrackEvents, ct);

    private async Task Call(string method, object argument, Counter counter, CancellationToken ct)
    {
        try
        {
            // Like the widget, hold calls while a reconnect is under way rather than fail them.
            await _connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
            await Connection.InvokeAsync(method, argument, ct);
            _metrics.Add(counter);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _metrics.Add(Counter.InvokeErrors);
        }
    }

    /// <summary>Call before the action that makes an invitation due, so a fast push can't be missed.</summary>
    public Task<ReceivedInvitation> ExpectInvitation()
    {
        lock (_gate)
        {
            _invitationWaiter = new TaskCompletionSource<ReceivedInvitation>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _invitationWaiter.Task;
        }
    }

    private void DeliverInvitation(InvitationView invitation)
    {
        var at = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            // Hello after a reconnect hands back the still-open invitation: the same one, not a new one.
            if (!_invitationsSeen.Add(invitation.InvitationId)) return;
            if (_invitationWaiter is { } waiter && waiter.TrySetResult(new ReceivedInvitation(invitation, at)))
            {
                _invitationWaiter = null;
                return;
            }
        }
        _metrics.Add(Counter.InvitationsUnexpected);
        if (Environment.GetEnvironmentVariable("LOADTEST_DEBUG") == "1")
            Console.Error.WriteLine($"unexpected invitation {invitation.RuleId} for {VisitorId} on {Page.Url}, {Stopwatch.GetElapsedTime(_pageAt).TotalMilliseconds:0} ms after the page");
    }

    private long _pageAt;

    /// <summary>Waits for the invitation until <paramref name="dueAt"/> + the timeout and records due, delivered, missed, lateness.</summary>
    public async Task<ReceivedInvitation?> AwaitInvitationAsync(Task<ReceivedInvitation> waiter, long dueAt, CancellationToken ct)
    {
        var deadline = dueAt + (long)(env.Options.InvitationTimeout.TotalSeconds * Stopwatch.Frequency);
        var wait = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
        var done = await Task.WhenAny(waiter, Task.Delay(wait, ct));
        if (done != waiter)
        {
            ct.ThrowIfCancellationRequested(); // the run ended first: neither due nor missed
            lock (_gate) _invitationWaiter = null;
            _metrics.Add(Counter.InvitationsDue);
            _metrics.Add(Counter.InvitationsMissed);
            return null;
        }
        var received = await waiter;
        var lateness = (received.At - dueAt) / (double)Stopwatch.Frequency;
        _metrics.Add(Counter.InvitationsDue);
        _metrics.Add(Counter.InvitationsDelivered);
        if (lateness < -0.25) _metrics.Add(Counter.InvitationsEarly);
        _metrics.InvitationLateness.Record(TimeSpan.FromSeconds(Math.Max(0, lateness)), _metrics.Elapsed);
        return received;
    }

    /// <summary>Reconnect storm: cut the socket like a lost network, then come back with Hello + token.</summary>
    public async Task DropAndResumeAsync(CancellationToken ct)
    {
        if (_client is not { } old) return;
        if (BeforeDrop is { } before) await before();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connected = resumed.Task;
        var started = Stopwatch.GetTimestamp();
        old.Intentional = true;
        old.Abort();
        _metrics.Add(Counter.StormDrops);
        _ = old.DisposeAsync().AsTask();
        var previousId = VisitorId;
        try
        {
            if (!await ConnectAsync(ct))
            {
                _metrics.Add(Counter.StormResumeFailed);
                return;
            }
            var hello = await HelloAsync(Page, ct);
            _metrics.Reconnect.Record(Stopwatch.GetElapsedTime(started), _metrics.Elapsed);
            _metrics.Add(hello.VisitorId == previousId ? Counter.StormResumed : Counter.StormResumeFailed);
            if (AfterResume is { } after) await after(hello);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _metrics.Add(Counter.StormResumeFailed);
        }
        finally
        {
            resumed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        env.Sessions.TryRemove(this, out _);
        if (_client is { } client)
        {
            client.Intentional = true;
            await client.DisposeAsync();
        }
    }
}

internal sealed record ReceivedInvitation(InvitationView Invitation, long At);
