namespace LiveChat.Engagement.Tests;

/// <summary>The uplift maths against published values (Newcombe 1998, Table II, method 10) and its edges.</summary>
public sealed class UpliftTests
{
    [Theory]
    [InlineData(56, 70, 48, 80, 0.2, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.6, 0.1705, 0.8090)]
    [InlineData(5, 56, 0, 29, 0.0893, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, 0.0, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, 0.0, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 1.0, 0.6791, 1.0)]
    public void NewcombeHybridScoreMatchesPublishedValues(int x1, int n1, int x2, int n2, double value, double low, double high)
    {
        var u = Uplift.Estimate(n1, x1, n2, x2, minimumPerGroup: 1)!;
        Assert.Equal(value, u.Value, 4);
        Assert.Equal(low, u.Low, 4);
        Assert.Equal(high, u.High, 4);
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(10, 10, 0.7225, 1.0)]
    public void WilsonIntervalMatchesPublishedValues(int x, int n, double low, double high)
    {
        var (l, h) = Uplift.Wilson(x, n);
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Fact]
    public void ConstructedCampaignShowsAPositiveUplift()
    {
        // 1,000 invited visitors convert at 6 %, 250 held out at 3 %: +3 points, interval above zero.
        var u = Uplift.Estimate(1000, 60, 250, 7)!;
        Assert.Equal(0.06 - 0.028, u.Value, 10);
        Assert.True(u.Low < u.Value && u.Value < u.High);
        Assert.True(u.Low > -0.02 && u.High < 0.07, $"{u.Low} … {u.High}");
    }

    [Fact]
    public void NoDifferenceGivesAnIntervalAroundZero()
    {
        var u = Uplift.Estimate(2000, 100, 2000, 100)!;
        Assert.Equal(0, u.Value, 10);
        Assert.Equal(-u.Low, u.High, 6);
        Assert.InRange(u.High, 0.01, 0.02);
    }

    [Theory]
    [InlineData(99, 500)]
    [InlineData(500, 99)]
    [InlineData(0, 0)]
    public void NotEnoughDataBelowTheMinimumPerGroup(int invited, int heldOut)
    {
        Assert.Null(Uplift.Estimate(invited, 0, heldOut, 0));
        Assert.NotNull(Uplift.Estimate(Uplift.MinimumPerGroup, 0, Uplift.MinimumPerGroup, 0));
    }

    [Fact]
    public void ConversionsBeyondTheGroupAreClamped()
    {
        var u = Uplift.Estimate(100, 150, 100, -3)!;
        Assert.Equal(1.0, u.Value, 10);
        Assert.InRange(u.Low, -1, 1);
        Assert.InRange(u.High, -1, 1);
    }
}
