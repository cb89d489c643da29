using LiveChat.Grains;
using LiveChat.Server.Agents;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hosting;
using LiveChat.Server.Hubs;
using LiveChat.Server.Notices;
using LiveChat.Server.Observability;
using LiveChat.Server.Requests;
using LiveChat.Server.Sites;
using LiveChat.Server.Visitors;

namespace LiveChat.Server;

/// <summary>The composition root, read top to bottom: builder → services → build → middleware → endpoints. Tests build the same app.</summary>
public static class LiveChatApplication
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = builder.AddLiveChatOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = options.Limits.MaxConnections;
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(20); // idle negotiate connections give their slot back soon
        });

        builder.Services.AddLiveChatForwardedHeaders();
        builder.AddLiveChatOrleans(options);
        builder.Services.AddLiveChatRealtime(options);
        builder.Services.AddLiveChatAuth();
        builder.Services.AddLiveChatRateLimits();
        builder.Services.AddLiveChatTelemetry(builder.Configuration);
        builder.Services.AddLiveChatHealth(options);
        builder.Services.AddLiveChatWebFront();
        builder.Services.AddWidgetCors();
        builder.Services.AddLiveChatRequests();
        builder.Services.AddProblemDetails();
        builder.Services.AddLiveChatOpenApi();
        builder.Services.AddHostedService<SiteSeeder>();
        builder.Services.AddHostedService<StartupBanner>();

        var app = builder.Build();

        app.UseLiveChatForwardedHeaders(); // first: everything after it sees the client's address and scheme
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseExceptionHandler();
        app.UseApiProblems();
        app.UseLiveChatHeaders();
        app.UseResponseCompression();
        app.UsePrecompressedBundles();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors(WidgetCors.Policy);
        // Widget connections carry no sign-in: skipping the cookie handler there spares each of 20,000 open sockets
        // a request scope and an authentication handler held for the socket's whole life (issue 16).
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/hubs/visitor"), branch => branch.UseAuthentication());
        // UseAuthentication marks only the branch it is called on as authenticated, so the WebApplication would add its
        // own for every request, ahead of all of the above, widget sockets included (it did, seen in a GC event trace).
        // This is the mark it looks for (ASP.NET Core's AuthAppBuilderExtensions.AuthenticationMiddlewareSetKey).
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseLiveChatCsrfGuard();
        app.UseAuthorization();
        app.UseLiveChatRateLimits();
        app.UseAntiforgery();

        app.MapLiveChatHubs();
        app.MapAuthApi();
        app.MapSitesApi();
        app.MapWidgetSiteApi();
        app.MapLiveChatOpenApi();
        app.MapConsolePage();
        app.MapLiveChatHealth();
        app.MapLiveChatTelemetry();
        app.MapOrleansOps();
        return app;
    }

    private static LiveChatOptions AddLiveChatOptions(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(LiveChatOptions.Section);
        builder.Services.AddOptions<LiveChatOptions>().Bind(section).PostConfigure(DemoSeed.Apply).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<LiveChatOptions>, LiveChatOptionsValidator>();
        var options = section.Get<LiveChatOptions>() ?? new LiveChatOptions();
        DemoSeed.Apply(options);
        return options;
    }
}
