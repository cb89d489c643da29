namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>One real server per test class (tests in a class use distinct visitors and pages).</summary>
public class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.Start(Settings);
        await OnStarted(Server);
    }

    protected virtual Task OnStarted(TestServer server) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
