using LiveChat.Engagement;

namespace LiveChat.Grains;

/// <summary>The next bookable callback slots: slot-aligned in the site's zone, wholly inside business hours, not full.</summary>
public static class CallbackSlots
{
    public static IReadOnlyList<(DateTimeOffset At, int Free)> Next(BusinessHours hours, DateTimeOffset now, CallbackSettings settings, Func<DateTimeOffset, int> booked)
    {
        var length = TimeSpan.FromMinutes(Math.Max(1, settings.SlotMinutes));
        var end = now + TimeSpan.FromDays(Math.Max(1, settings.DaysAhead));
        var result = new List<(DateTimeOffset, int)>();
        var t = Align(hours, now + TimeSpan.FromMinutes(Math.Max(0, settings.LeadMinutes)), length);
        for (var guard = 0; t < end && result.Count < settings.MaxSlots && guard < 5_000; guard++)
        {
            if (!hours.IsOpen(t))
            {
                if (hours.NextChange(t) is not { } opens) break; // closed every day
                t = Align(hours, opens, length);
                continue;
            }
            if (hours.IsOpen(t + length - TimeSpan.FromSeconds(1)))
            {
                var free = settings.CallsPerSlot - booked(t);
                if (free > 0) result.Add((t, free));
            }
            t += length;
        }
        return result;
    }

    /// <summary>Is <paramref name="at"/> one of the offered starts (and still free)?</summary>
    public static bool Offers(BusinessHours hours, DateTimeOffset now, CallbackSettings settings, Func<DateTimeOffset, int> booked, DateTimeOffset at) =>
        Next(hours, now, settings with { MaxSlots = 10_000 }, booked).Any(s => s.At == at);

    /// <summary>Rounds up to the next multiple of the slot length counted from local midnight in the site's zone.</summary>
    private static DateTimeOffset Align(BusinessHours hours, DateTimeOffset instant, TimeSpan length)
    {
        var local = TimeZoneInfo.ConvertTime(instant, hours.Zone);
        var sinceMidnight = local.TimeOfDay;
        var steps = Math.Ceiling(sinceMidnight.Ticks / (double)length.Ticks);
        var aligned = local - sinceMidnight + TimeSpan.FromTicks((long)(steps * length.Ticks));
        return new DateTimeOffset(aligned.UtcDateTime, TimeSpan.Zero);
    }
}
