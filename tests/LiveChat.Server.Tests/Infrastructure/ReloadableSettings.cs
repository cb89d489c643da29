using Microsoft.Extensions.Configuration;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>A configuration source a test can change while the server runs, as an edited appsettings.json would be.</summary>
public sealed class ReloadableSettings : ConfigurationProvider, IConfigurationSource
{
    public ReloadableSettings(IDictionary<string, string?> initial)
    {
        foreach (var (k, v) in initial) Data[k] = v;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Applies the change and reloads: options monitors see it at once.</summary>
    public void Change(Action<IDictionary<string, string?>> change)
    {
        change(Data);
        OnReload();
    }
}
