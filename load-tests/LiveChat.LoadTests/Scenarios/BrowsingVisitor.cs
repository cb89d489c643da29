using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Simulations;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// A visitor who browses: a landing page, a few short pages (shorter than the linger rule), then one
/// page where the "load-linger" rule becomes due — sometimes with the tab hidden for a while, which
/// moves the due instant — then more pages, cart events and tab switches until the copy is stopped.
/// </summary>
internal static class BrowsingVisitor
{
    public static Scenario Create(LoadEnvironment env) => Scenario.Create("browsing", ctx => RunAsync(env, ctx));

    private static async Task RunAsync(LoadEnvironment env, ScenarioContext ctx)
    {
        var ct = ctx.Stop;
        var random = new Random(unchecked((int)ctx.Number * 7919 + env.Options.WorkerIndex));
        var linger = env.Options.LingerSeconds;
        await using var session = new VisitorSession(env, ClientKind.Visitor);
        if (!await session.ConnectAsync(ct)) return;

        await session.HelloAsync(Page(env, $"landing?v={ctx.Number}", "Landing"), ct);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            await Task.Delay(ShortDwell(random, linger), ct);
            await session.PageViewAsync(Page(env, $"category/{random.Next(20)}", "Category"), ct);
            if (random.NextDouble() < 0.5) await AddToCart(session, random, ct);
        }

        // The lingering page: the invitation is due `linger` visible seconds after we enter it.
        await Task.Delay(ShortDwell(random, linger), ct);
        var waiter = session.ExpectInvitation();
        var enteredAt = Stopwatch.GetTimestamp();
        await session.PageViewAsync(Page(env, $"product/{random.Next(500)}", "Product"), ct);
        long hidden = 0;
        if (random.NextDouble() < 0.3 && linger >= 2)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var hiddenAt = Stopwatch.GetTimestamp();
            await session.VisibilityAsync(false, ct);
            await Task.Delay(TimeSpan.FromSeconds(1 + random.NextDouble() * 2), ct);
            // Hidden from one send to the other: what the server sees, give or take the two one-way trips.
            hidden = Stopwatch.GetTimestamp() - hiddenAt;
            await session.VisibilityAsync(true, ct);
        }
        var dueAt = enteredAt + linger * Stopwatch.Frequency + hidden;
        await session.AwaitInvitationAsync(waiter, dueAt, ct);
        session.StormEligible = true;

        // Browse on until stopped; no further invitation is expected (maxPerVisit 1).
        for (var step = 0; step < 100_000 && !ct.IsCancellationRequested; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2 + random.NextDouble() * 4), ct);
            switch (random.Next(6))
            {
                case 0: await AddToCart(session, random, ct); break;
                case 1:
                    await session.VisibilityAsync(false, ct);
                    await Task.Delay(TimeSpan.FromMilliseconds(500 + random.Next(1500)), ct);
                    await session.VisibilityAsync(true, ct);
                    break;
                case 2: await session.TrackAsync("cart_remove", new { sku = $"sku-{random.Next(50)}" }, ct); break;
                default: await session.PageViewAsync(Page(env, $"category/{random.Next(20)}", "Category"), ct); break;
            }
        }
    }

    /// <summary>
    /// At most half the linger rule, so no invitation can be due on these pages even if the server receives
    /// the next PageView late by up to that margin (an overloaded server makes pages look longer).
    /// </summary>
    private static TimeSpan ShortDwell(Random random, int linger)
    {
        var max = Math.Max(0.5, linger / 2.0);
        var min = Math.Min(1.0, max / 2);
        return TimeSpan.FromSeconds(min + random.NextDouble() * (max - min));
    }

    private static Task AddToCart(VisitorSession session, Random random, CancellationToken ct) =>
        session.TrackAsync("cart_add", new { sku = $"sku-{random.Next(50)}", price = 10 + random.Next(90), quantity = 1 + random.Next(3) }, ct);

    private static PageInfo Page(LoadEnvironment env, string path, string title) => new(env.Pages.For(path), title);
}
