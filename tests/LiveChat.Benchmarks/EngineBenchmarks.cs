using BenchmarkDotNet.Attributes;

namespace LiveChat.Benchmarks;

/// <summary>What one visitor event costs the engine with a realistic site of 50 rules, and what a rules PUT costs.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private string json = "";
    private RuleSet rules = RuleSet.Empty;
    private RuleSet measured = RuleSet.Empty;
    private VisitorSnapshot cartIdleVisitor = null!;
    private VisitorSnapshot browsing = null!;
    private VisitorSnapshot cartIdle = null!;
    private EngagementContext context = null!;

    [GlobalSetup]
    public void Setup()
    {
        json = SiteRules.Json(50);
        var parsed = RuleParser.Parse(json);
        if (!parsed.Success) throw new InvalidOperationException(parsed.Error);
        rules = new RuleSet(1, parsed.Rules);
        context = new EngagementContext(true, true, page => page.StartsWith("/checkout", StringComparison.Ordinal))
        {
            BusinessHoursChangeAt = T0.AddHours(7),
        };
        browsing = new VisitorSnapshot
        {
            PagePathAndQuery = "/products/shoes/runner-x?color=red&size=42",
            PageEnteredAt = T0,
            VisibleSince = T0,
            PagesThisVisit = 4,
            Visit = 2,
            Referrer = "https://www.google.com/search?q=running+shoes",
            UtmCampaign = "spring-sale",
            CartValue = 120m,
            LastEventAt = new Dictionary<string, DateTimeOffset> { ["cart_add"] = T0.AddSeconds(-30), ["search"] = T0.AddSeconds(-90) },
            LastActivityAt = T0,
            History = new Dictionary<string, RuleHistory>
            {
                ["r-03"] = new(1, T0.AddMinutes(-20)),
                ["r-17"] = new(1, T0.AddMinutes(-3)),
                ["r-29"] = new(2, T0.AddMinutes(-1)),
            },
        };
        cartIdle = browsing with { PagePathAndQuery = "/cart", LastActivityAt = T0.AddSeconds(-30) };

        // The same rules, each with a 20 % hold-out: a due rule now costs the visitor's stable assignment (SHA-256).
        measured = new RuleSet(1, parsed.Rules.Select(r => r with { HoldoutPercent = 20 }).ToList());
        cartIdleVisitor = cartIdle with { VisitorId = "v-7k3q9c2mf81d4e0a" };

        // Measure the cases the names promise, not something cheaper.
        if (EvaluateNothingDue() is not { Due: null, NextCheckAt: not null }) throw new InvalidOperationException("expected a next check");
        if (EvaluateDue().Due is null) throw new InvalidOperationException("expected a due rule");
        if (EvaluateDueWithHoldout().Due is null) throw new InvalidOperationException("expected a due rule");
    }

    /// <summary>The common case: nothing due yet, every rule looked at, a next-check instant reported.</summary>
    [Benchmark(Baseline = true)]
    public EngagementDecision EvaluateNothingDue() => RuleEvaluator.Evaluate(rules, browsing, context, T0.AddSeconds(5));

    /// <summary>An invitation is due: the walk stops at the winning rule.</summary>
    [Benchmark]
    public EngagementDecision EvaluateDue() => RuleEvaluator.Evaluate(rules, cartIdle, context, T0.AddSeconds(200));

    /// <summary>As <see cref="EvaluateDue"/>, with hold-out on every rule (issue 22): the price of the assignment.</summary>
    [Benchmark]
    public EngagementDecision EvaluateDueWithHoldout() => RuleEvaluator.Evaluate(measured, cartIdleVisitor, context, T0.AddSeconds(200));

    [Benchmark]
    public RuleParseResult Parse50Rules() => RuleParser.Parse(json);

    [Benchmark]
    public RuleSet CompileRuleSet() => new(2, rules.Rules);
}
