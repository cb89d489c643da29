namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Weekly opening hours on a zone's wall clock, across midnights and DST changes.</summary>
public sealed class BusinessHoursTests
{
    private static readonly BusinessHours Shop = Hours("""
        { "timeZone": "Europe/Stockholm",
          "days": { "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00", "thu": "09:00-17:00",
                    "fri": "09:00-17:00", "sat": "10:00-14:00", "sun": "closed" } }
        """);

    private static BusinessHours Hours(string json)
    {
        Assert.True(BusinessHours.TryParse(json, out var hours, out var error), error);
        return hours;
    }

    private static BusinessHours Stockholm(string days) => Hours($$"""{ "timeZone": "Europe/Stockholm", "days": {{days}} }""");

    [Theory]
    [InlineData("2026-03-02T07:59:59Z", false)]
    [InlineData("2026-03-02T08:00:00Z", true)]
    [InlineData("2026-03-02T15:59:59Z", true)]
    [InlineData("2026-03-02T16:00:00Z", false)]
    [InlineData("2026-03-07T09:00:00Z", true)]
    [InlineData("2026-03-07T13:00:00Z", false)]
    [InlineData("2026-03-08T10:00:00Z", false)]
    [InlineData("2026-03-30T06:59:59Z", false)]
    [InlineData("2026-03-30T07:00:00Z", true)]
    [InlineData("2026-07-01T14:59:59Z", true)]
    [InlineData("2026-07-01T15:00:00Z", false)]
    [InlineData("2026-07-01T09:00:00+02:00", true)]
    public void IsOpenFollowsTheLocalWallClock(string instant, bool open) =>
        Assert.Equal(open, Shop.IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-03-02T07:00:00Z", "2026-03-02T08:00:00Z")]
    [InlineData("2026-03-02T08:00:00Z", "2026-03-02T16:00:00Z")]
    [InlineData("2026-03-02T12:34:56Z", "2026-03-02T16:00:00Z")]
    [InlineData("2026-03-06T16:00:00Z", "2026-03-07T09:00:00Z")]
    [InlineData("2026-03-07T13:00:00Z", "2026-03-09T08:00:00Z")]
    [InlineData("2026-03-28T13:00:00Z", "2026-03-30T07:00:00Z")]
    [InlineData("2026-10-24T12:00:00Z", "2026-10-26T08:00:00Z")]
    [InlineData("2026-12-31T16:00:00Z", "2027-01-01T08:00:00Z")]
    public void NextChangeIsTheNextOpeningOrClosing(string from, string expected) =>
        Assert.Equal(Utc(expected), Shop.NextChange(Utc(from)));

    [Fact]
    public void NextChangeIsExpressedInTheSitesOffset() =>
        Assert.Equal(TimeSpan.FromHours(2), Shop.NextChange(Utc("2026-07-01T06:00:00Z"))!.Value.Offset);

    [Theory]
    [InlineData("2026-03-06T20:59:59Z", false)]
    [InlineData("2026-03-06T21:00:00Z", true)]
    [InlineData("2026-03-06T23:30:00Z", true)]
    [InlineData("2026-03-07T00:59:59Z", true)]
    [InlineData("2026-03-07T01:00:00Z", false)]
    [InlineData("2026-03-05T23:30:00Z", false)]
    public void WindowPastMidnightRunsIntoTheNextDay(string instant, bool open) =>
        Assert.Equal(open, Stockholm("""{ "fri": "22:00-02:00" }""").IsOpen(Utc(instant)));

    [Fact]
    public void OvernightWindowClosesTheNextMorning() =>
        Assert.Equal(Utc("2026-03-07T01:00:00Z"), Stockholm("""{ "fri": "22:00-02:00" }""").NextChange(Utc("2026-03-06T21:00:00Z")));

    [Fact]
    public void AdjacentWholeDaysMergeAcrossMidnight() =>
        Assert.Equal(Utc("2026-03-03T23:00:00Z"),
            Stockholm("""{ "mon": "00:00-24:00", "tue": "00:00-24:00" }""").NextChange(Utc("2026-03-02T12:00:00Z")));

    [Theory]
    [InlineData("2026-03-01T21:59:59Z", false)]
    [InlineData("2026-03-01T22:00:00Z", true)]
    [InlineData("2026-03-01T23:00:00Z", true)]
    [InlineData("2026-03-01T23:59:59Z", true)]
    [InlineData("2026-03-02T00:00:00Z", false)]
    public void SundayToMondayMidnightEdge(string instant, bool open) =>
        Assert.Equal(open, Stockholm("""{ "sun": "23:00-24:00", "mon": "00:00-01:00" }""").IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-03-01T21:00:00Z", "2026-03-01T22:00:00Z")]
    [InlineData("2026-03-01T22:00:00Z", "2026-03-02T00:00:00Z")]
    public void WeekWrapsFromSundayToMonday(string from, string expected) =>
        Assert.Equal(Utc(expected), Stockholm("""{ "sun": "23:00-24:00", "mon": "00:00-01:00" }""").NextChange(Utc(from)));

    [Theory]
    [InlineData("2026-03-29T00:59:59Z", false)]
    [InlineData("2026-03-29T01:00:00Z", true)]
    [InlineData("2026-03-29T02:59:59Z", true)]
    [InlineData("2026-03-29T03:00:00Z", false)]
    public void WindowStartingInTheSpringGapOpensWhenTheClockJumps(string instant, bool open) =>
        Assert.Equal(open, Stockholm("""{ "sun": "02:30-05:00" }""").IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z")]
    public void SpringGapChangesAreExact(string from, string expected) =>
        Assert.Equal(Utc(expected), Stockholm("""{ "sun": "02:30-05:00" }""").NextChange(Utc(from)));

    [Fact]
    public void WindowEndingInTheSpringGapClosesWhenTheClockJumps() =>
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), Stockholm("""{ "sun": "01:00-02:30" }""").NextChange(Utc("2026-03-29T00:00:00Z")));

    [Theory]
    [InlineData("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z")]
    [InlineData("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z")]
    [InlineData("2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z")]
    public void RepeatedAutumnHourOpensTwiceOnTheWallClock(string from, string expected) =>
        Assert.Equal(Utc(expected), Stockholm("""{ "sun": "02:00-02:30" }""").NextChange(Utc(from)));

    [Theory]
    [InlineData("2026-03-06T21:59:59Z", true)]
    [InlineData("2026-03-06T22:00:00Z", false)]
    [InlineData("2026-03-09T12:59:59Z", false)]
    [InlineData("2026-03-09T13:00:00Z", true)]
    public void NewYorkHoursAcrossItsOwnDstDate(string instant, bool open) =>
        Assert.Equal(open, Hours("""{ "timeZone": "America/New_York", "days": { "mon": "09:00-17:00", "fri": "09:00-17:00" } }""").IsOpen(Utc(instant)));

    [Fact]
    public void NewYorkReopensMondayAfterTheSpringChange() =>
        Assert.Equal(Utc("2026-03-09T13:00:00Z"),
            Hours("""{ "timeZone": "America/New_York", "days": { "mon": "09:00-17:00", "fri": "09:00-17:00" } }""").NextChange(Utc("2026-03-06T22:00:00Z")));

    [Theory]
    [InlineData("""{ "mon": "09:00-12:00, 13:00-17:00" }""", "2026-03-02T11:30:00Z", false)]
    [InlineData("""{ "mon": "09:00-12:00, 13:00-17:00" }""", "2026-03-02T12:30:00Z", true)]
    [InlineData("""{ "MON": "09:00-17:00" }""", "2026-03-02T12:00:00Z", true)]
    [InlineData("""{ "mon": "" }""", "2026-03-02T12:00:00Z", false)]
    [InlineData("""{ "mon": "Closed" }""", "2026-03-02T12:00:00Z", false)]
    [InlineData("""{ "mon": "09:00-24:00" }""", "2026-03-02T22:59:59Z", true)]
    [InlineData("""{ "mon": "09:00-00:00" }""", "2026-03-02T22:59:59Z", true)]
    public void DayFormats(string days, string instant, bool open) =>
        Assert.Equal(open, Stockholm(days).IsOpen(Utc(instant)));

    [Fact]
    public void ClosedEveryDayNeverChanges()
    {
        var hours = Stockholm("{}");
        Assert.False(hours.IsOpen(T0));
        Assert.Null(hours.NextChange(T0));
    }

    [Fact]
    public void OpenAroundTheClockNeverChanges()
    {
        var all = string.Join(",", new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.Select(d => $"\"{d}\": \"00:00-24:00\""));
        var hours = Stockholm("{" + all + "}");
        Assert.True(hours.IsOpen(T0));
        Assert.Null(hours.NextChange(T0));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void MissingScheduleIsAlwaysOpen(string? json)
    {
        Assert.True(BusinessHours.TryParse(json, out var hours, out var error));
        Assert.Null(error);
        Assert.True(hours.IsAlwaysOpen);
        Assert.True(hours.IsOpen(T0));
        Assert.Null(hours.NextChange(T0));
    }

    [Fact]
    public void TryCreateFromConfigurationValues()
    {
        Assert.True(BusinessHours.TryCreate("UTC", new Dictionary<string, string> { ["mon"] = "10:00-11:00" }, out var hours, out _));
        Assert.True(hours.IsOpen(T0));
        Assert.Equal(T0.AddHours(1), hours.NextChange(T0));
        Assert.True(BusinessHours.TryCreate(null, null, out var none, out _));
        Assert.Same(BusinessHours.AlwaysOpen, none);
    }

    [Theory]
    [InlineData("""{ "timeZone": "Mars/Olympus", "days": {} }""", "businessHours.timeZone: 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("""{ "timeZone": "../../etc/passwd", "days": {} }""", "businessHours.timeZone: '../../etc/passwd' is not a known IANA time zone")]
    [InlineData("""{ "days": { "mon": "09:00-17:00" } }""", "businessHours.timeZone is required (an IANA id such as \"Europe/Stockholm\")")]
    [InlineData("""{ "timeZone": "Europe/Stockholm" }""", "businessHours.days is required")]
    [InlineData("""{ "timeZone": 5, "days": {} }""", "businessHours.timeZone must be a string")]
    [InlineData("""{ "timeZone": "UTC", "days": [] }""", "businessHours.days must be an object")]
    [InlineData("""{ "timeZone": "UTC", "days": { "mon": 9 } }""", "businessHours.days.mon must be a string like \"09:00-17:00\"")]
    [InlineData("""{ "timeZone": "UTC", "days": { "monday": "09:00-17:00" } }""", "businessHours.days.monday is not a day (mon, tue, wed, thu, fri, sat, sun)")]
    [InlineData("""{ "tz": "UTC" }""", "businessHours.tz is not a known field (timeZone, days)")]
    [InlineData("""[1]""", "businessHours is not a JSON object")]
    [InlineData("""{ "timeZone": """, "businessHours is not a JSON object")]
    public void InvalidSchedulesNameTheField(string json, string expected)
    {
        Assert.False(BusinessHours.TryParse(json, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("9-17")]
    [InlineData("09:00")]
    [InlineData("09:00-09:00")]
    [InlineData("09:60-10:00")]
    [InlineData("25:00-26:00")]
    [InlineData("24:00-01:00")]
    [InlineData("24:30-01:00")]
    [InlineData("09:00-17:00,")]
    [InlineData("09.00-17.00")]
    [InlineData("a9:00-17:00")]
    [InlineData("1:00-2:00,3:00-4:00")]
    [InlineData("00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,06:00-07:00,07:00-08:00,08:00-09:00")]
    public void InvalidDayWindowsNameTheDay(string window)
    {
        var json = $$"""{ "timeZone": "UTC", "days": { "tue": "{{window}}" } }""";
        Assert.False(BusinessHours.TryParse(json, out _, out var error));
        Assert.StartsWith($"businessHours.days.tue: '{window}' must be", error);
    }
}
