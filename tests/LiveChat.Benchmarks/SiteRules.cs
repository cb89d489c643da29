using System.Globalization;
using System.Text;

namespace LiveChat.Benchmarks;

/// <summary>A shop's rule set with the mix of conditions a real site has: mostly page globs with time on page, some cart and idle rules, a few regexes.</summary>
internal static class SiteRules
{
    private static readonly string[] Pages =
    [
        "/loans/*", "/products/shoes/*", "/checkout*", "/pricing*", "regex:^/(en|sv)/support/\\d+", "/cart",
        "/products/*/reviews", "*?plan=pro*", "/account/*", "regex:^/blog/20\\d\\d/",
    ];

    public static string Json(int count)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) json.Append(',');
            var when = new List<string> { $"\"pageMatches\": \"{Pages[i % Pages.Length].Replace("\\", "\\\\")}\"" };
            switch (i % 5)
            {
                case 0: when.Add($"\"timeOnPageSeconds\": {30 + i}"); break;
                case 1: when.Add("\"pagesViewedAtLeast\": 3"); when.Add($"\"timeOnPageSeconds\": {15 + i}"); break;
                case 2: when.Add($"\"cartValueAtLeast\": {50 + i}"); when.Add("\"event\": \"cart_add\""); when.Add($"\"idleAfterEventSeconds\": {60 + i}"); break;
                case 3: when.Add("\"returningVisitor\": true"); when.Add("\"referrerMatches\": \"*google.*\""); break;
                default: when.Add("\"utmCampaign\": \"spring-sale\""); when.Add("\"businessHours\": true"); break;
            }
            json.Append(CultureInfo.InvariantCulture, $$"""
                {"id": "r-{{i:00}}", "situation": "Situation {{i}}",
                 "when": { {{string.Join(", ", when)}} },
                 "then": { "text": "Can we help with that? ({{i}})", "offers": ["chat", "callback"] },
                 "onlyIfAgentAvailable": {{(i % 3 == 0 ? "true" : "false")}}, "maxPerVisit": {{1 + i % 2}},
                 "cooldownSeconds": {{(i % 4 == 0 ? 600 : 0)}}, "priority": {{i % 7}}, "suppressDuringNotice": {{(i % 6 == 0 ? "true" : "false")}} }
                """);
        }
        return json.Append(']').ToString();
    }
}
