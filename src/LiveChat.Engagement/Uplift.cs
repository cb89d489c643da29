namespace LiveChat.Engagement;

/// <summary>A difference of two proportions with its 95 % confidence interval, as fractions (0.05 = 5 points).</summary>
public sealed record UpliftEstimate(double Value, double Low, double High);

/// <summary>
/// Does the invitation help? Conversion rate of invited minus held-out visitors, with a 95 % interval by
/// Newcombe's hybrid score method (Newcombe 1998, method 10: Wilson score intervals of each rate, combined).
/// Unlike the simple Wald interval it stays inside [-1, 1] and behaves with rates near 0 % — the usual case for
/// web conversions — and with small groups.
/// </summary>
public static class Uplift
{
    /// <summary>Below this many visitors in either group the answer is "not enough data yet".</summary>
    public const int MinimumPerGroup = 100;
    /// <summary>The two-sided 95 % normal quantile.</summary>
    public const double Z = 1.959963984540054;

    /// <returns>null while either group has fewer than <paramref name="minimumPerGroup"/> visitors.</returns>
    public static UpliftEstimate? Estimate(int invited, int invitedConversions, int heldOut, int heldOutConversions, int minimumPerGroup = MinimumPerGroup)
    {
        if (invited < Math.Max(1, minimumPerGroup) || heldOut < Math.Max(1, minimumPerGroup)) return null;
        // A conversion can land in a later window than the visit it belongs to: never more than the group.
        var x1 = Math.Clamp(invitedConversions, 0, invited);
        var x2 = Math.Clamp(heldOutConversions, 0, heldOut);
        double p1 = (double)x1 / invited, p2 = (double)x2 / heldOut;
        var (l1, u1) = Wilson(x1, invited);
        var (l2, u2) = Wilson(x2, heldOut);
        var d = p1 - p2;
        var low = d - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
        var high = d + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
        return new UpliftEstimate(d, low, high);
    }

    /// <summary>The Wilson score interval of <paramref name="successes"/> out of <paramref name="n"/> (95 %).</summary>
    public static (double Low, double High) Wilson(int successes, int n)
    {
        if (n <= 0) return (0, 1);
        double p = (double)successes / n, z2 = Z * Z;
        var centre = p + z2 / (2 * n);
        var spread = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        var denominator = 1 + z2 / n;
        return (Math.Max(0, (centre - spread) / denominator), Math.Min(1, (centre + spread) / denominator));
    }
}
