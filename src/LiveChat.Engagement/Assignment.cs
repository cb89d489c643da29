using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LiveChat.Engagement;

/// <summary>
/// Deterministic assignment of a visitor to a rule's control group and to one of its text variants. The same
/// (rule, visitor) gives the same answer on every node and after every restart: a stable hash (SHA-256), never
/// <see cref="string.GetHashCode()"/>, which .NET randomizes per process. Hold-out and variant use different salts,
/// so they are independent of each other.
/// </summary>
public static class Assignment
{
    /// <summary>True for the <paramref name="holdoutPercent"/> share of visitors who form this rule's control group.</summary>
    public static bool IsHeldOut(string ruleId, string visitorId, int? holdoutPercent) =>
        holdoutPercent is { } percent && percent > 0 && (int)(Hash("holdout", ruleId, visitorId) % 100) < percent;

    /// <summary>The variant (0-based) this visitor sees of this rule's <paramref name="count"/> texts; null without variants.</summary>
    public static int? Variant(string ruleId, string visitorId, int count) =>
        count > 1 ? (int)(Hash("variant", ruleId, visitorId) % (ulong)count) : null;

    /// <summary>The first 8 bytes of SHA-256 over the salt, rule and visitor, separated so ("ab","c") ≠ ("a","bc").</summary>
    internal static ulong Hash(string salt, string ruleId, string visitorId)
    {
        var text = string.Concat(salt, "\n", ruleId, "\n", visitorId);
        Span<byte> input = text.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = Encoding.UTF8.GetBytes(text, input);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..length], digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
