using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveChat.Server.Sites;

/// <summary>
/// Every error of the REST API is an RFC 9457 problem (<c>application/problem+json</c>): <c>detail</c> says what is wrong
/// in words that name the field, and a 400 also lists it under <c>errors</c> by field, as ASP.NET's validation problems do.
/// </summary>
internal static class ApiProblems
{
    /// <summary>A 400 for one bad field: <c>errors: { field: [detail] }</c>, and the same text as <c>detail</c>.</summary>
    public static ValidationProblem Invalid(string field, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NoSite(string? siteId) => NotFound($"siteId: no site '{siteId}' that you serve");

    public static ProblemHttpResult TooLarge(int maxBytes, string what) =>
        TypedResults.Problem($"the body must be {what} of at most {maxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// The field a validation message starts with (messages are written "field must …" or "field: …"), when it is one of
    /// <paramref name="fields"/>; else <paramref name="fallback"/>.
    /// </summary>
    public static string FieldOf(string message, IReadOnlyCollection<string> fields, string fallback)
    {
        var end = message.AsSpan().IndexOfAny(' ', ':');
        var first = end < 0 ? message : message[..end];
        return fields.Contains(first) ? first : fallback;
    }

    /// <summary>Empty 4xx answers under <c>/api</c> (401/403 from sign-in, 429 from the rate limiter, 400 from binding) become problems too.</summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
}
