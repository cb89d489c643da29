using System.Net;
using LiveChat.Contracts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LiveChat.Server.Auth;

/// <summary>Agent sign-in: JSON for scripts and load tests, and an HTML form (with antiforgery) for people.</summary>
public static class AuthApi
{
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddLiveChatAuth(this IServiceCollection services)
    {
        services.AddSingleton<AgentAccounts>();
        services.AddSingleton<AgentSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentSessions>());
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "livechat.agent";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = AgentSessions.CookieLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/agent/login";
                // APIs and hubs answer 401/403; only pages redirect to the sign-in form.
                o.Events.OnRedirectToLogin = ctx => Answer(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx, StatusCodes.Status403Forbidden);
                // Every request re-checks the cookie against the account as it is now and against logouts.
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    if (await ctx.HttpContext.RequestServices.GetRequiredService<AgentSessions>().IsValid(ctx.Principal)) return;
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync();
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, p => p.RequireRole("admin"));
        services.AddAntiforgery(o => { o.Cookie.Name = "livechat.af"; o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; });
        return services;
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/agent") && !ctx.Request.Path.StartsWithSegments("/agent/api")) ctx.Response.Redirect(ctx.RedirectUri);
        else ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", Login).DisableAntiforgery().LimitPerAddress(RateLimits.Login)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        app.MapPost("/api/auth/logout", (Delegate)Logout).RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/api/auth/me", MeEndpoint).RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/agent/login", LoginPage);
        app.MapPost("/agent/login", LoginForm).LimitPerAddress(RateLimits.Login);
        return app;
    }

    private static async Task<Results<Ok<AgentMe>, UnauthorizedHttpResult, ProblemHttpResult>> Login(
        LoginRequest? request, AgentAccounts accounts, HttpContext http, IGrainFactory grains)
    {
        var result = accounts.SignIn(request?.AgentId, request?.Password, http.Connection.RemoteIpAddress);
        if (result.RetryAfter is { } wait) return Locked(http, wait);
        if (result.Principal is null) return TypedResults.Unauthorized();
        await http.SignInAsync(result.Principal);
        return TypedResults.Ok(await Me(result.Principal, grains));
    }

    private static async Task<NoContent> Logout(HttpContext http, AgentSessions sessions)
    {
        await sessions.Revoke(http.User); // server-side: a copy of this cookie stops working too
        await http.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<AgentMe> Me(System.Security.Claims.ClaimsPrincipal user, IGrainFactory grains) =>
        new(user.AgentId(), user.AgentName(), user.Sites(), user.IsAdmin(), await Language(user, grains));

    private static async Task<Ok<AgentMe>> MeEndpoint(HttpContext http, IGrainFactory grains) => TypedResults.Ok(await Me(http.User, grains));

    /// <summary>The console's language the agent chose (kept in the agent grain of their first site), English if none.</summary>
    private static async Task<string> Language(System.Security.Claims.ClaimsPrincipal user, IGrainFactory grains) =>
        user.Sites() is [var site, ..] ? await grains.GetGrain<LiveChat.Grains.IAgentGrain>(LiveChat.Grains.Keys.Of(site, user.AgentId())).GetLanguage() : "en";

    private static ContentHttpResult LoginPage(HttpContext http, IAntiforgery antiforgery, string? error = null, string? agentId = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Content(LoginHtml.Render(tokens.FormFieldName, tokens.RequestToken ?? "", error, agentId, LoginHtml.For(http.Request)), "text/html; charset=utf-8");
    }

    private static async Task<IResult> LoginForm([FromForm] string? agentId, [FromForm] string? password, AgentAccounts accounts, HttpContext http, IAntiforgery antiforgery)
    {
        var result = accounts.SignIn(agentId, password, http.Connection.RemoteIpAddress);
        if (result.Principal is not null)
        {
            await http.SignInAsync(result.Principal);
            return TypedResults.Redirect("/agent");
        }
        http.Response.StatusCode = result.RetryAfter is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status429TooManyRequests;
        var say = LoginHtml.For(http.Request);
        var message = result.RetryAfter is { } wait ? say.Locked((int)Math.Ceiling(wait.TotalMinutes)) : say.Wrong;
        return LoginPage(http, antiforgery, message, agentId); // the agent retypes only the password
    }

    private static ProblemHttpResult Locked(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
        return TypedResults.Problem("too many failed sign-ins; try again later", statusCode: StatusCodes.Status429TooManyRequests);
    }

    public sealed record LoginRequest(string? AgentId, string? Password);
    public sealed record AgentMe(string AgentId, string Name, IReadOnlyList<string> Sites, bool Admin, string Language = "en");
}

/// <summary>
/// The sign-in page, in the console's languages (English, Dutch): before sign-in the agent's own choice is not known,
/// so the browser's Accept-Language decides. Every dynamic value is HTML-encoded.
/// </summary>
internal static class LoginHtml
{
    public sealed record Words(string Lang, string Title, string Sub, string AgentId, string Password, string SignIn, string Wrong, Func<int, string> Locked);

    public static readonly Words English = new("en", "Sign in", "Agent console sign-in", "Agent id", "Password", "Sign in",
        "Wrong agent id or password.", minutes => $"Too many failed attempts. Try again in {minutes} minutes.");
    public static readonly Words Dutch = new("nl", "Inloggen", "Inloggen op de console", "Medewerker-id", "Wachtwoord", "Inloggen",
        "Verkeerde medewerker-id of wachtwoord.", minutes => $"Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw.");

    /// <summary>The first of the browser's languages (by quality) the page speaks, else English.</summary>
    public static Words For(HttpRequest request)
    {
        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var primary = language.Value.Value?.Split('-', 2)[0];
            if (string.Equals(primary, "nl", StringComparison.OrdinalIgnoreCase)) return Dutch;
            if (string.Equals(primary, "en", StringComparison.OrdinalIgnoreCase)) return English;
        }
        return English;
    }

    public static string Render(string fieldName, string token, string? error, string? agentId = null, Words? words = null)
    {
        var say = words ?? English;
        return $$"""
        <!doctype html>
        <html lang="{{say.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{say.Title}} · LiveChat</title><link rel="stylesheet" href="/agent/login.css"></head>
        <body><main class="card">
        <h1>LiveChat</h1><p class="sub">{{say.Sub}}</p>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <form method="post" action="/agent/login">
          <input type="hidden" name="{{WebUtility.HtmlEncode(fieldName)}}" value="{{WebUtility.HtmlEncode(token)}}">
          <label>{{say.AgentId}} <input name="agentId" autocomplete="username" required{{(agentId is { Length: > 0 } ? $" value=\"{WebUtility.HtmlEncode(agentId)}\"" : " autofocus")}}></label>
          <label>{{say.Password}} <input name="password" type="password" autocomplete="current-password" required{{(agentId is { Length: > 0 } ? " autofocus" : "")}}></label>
          <button type="submit">{{say.SignIn}}</button>
        </form></main></body></html>
        """;
    }
}
