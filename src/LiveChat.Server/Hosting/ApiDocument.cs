using LiveChat.Server.Auth;

namespace LiveChat.Server.Hosting;

/// <summary>
/// The OpenAPI document of the REST API (everything under <c>/api</c>), built from the endpoints' own metadata and served
/// at <see cref="Path"/>. A test checks that it lists every <c>/api</c> route, so a route without metadata is noticed.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static IServiceCollection AddLiveChatOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "LiveChat REST API";
            document.Info.Description = "Agents and admins, signed in with the livechat.agent cookie (POST /api/auth/login). Every error is application/problem+json.";
            return Task.CompletedTask;
        });
    });

    public static IEndpointRouteBuilder MapLiveChatOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Path).AllowAnonymous().LimitPerAddress(RateLimits.Api);
        return app;
    }
}
