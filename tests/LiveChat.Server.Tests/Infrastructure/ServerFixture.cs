namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>One real server per test class (tests in a class use distinct visitors and pages).</summary>
public class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>A fake clock for the server (see <see cref="TestServer.Start"/>), or null for real time.</summary>
    protected virtual TimeProvider? Clock => null;

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.Start(Settings, clock: Clock);
        await OnStarted(Server);
    }

    protected virtual Task OnStarted(TestServer server) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
