using System.Security.Cryptography;
using System.Text;

namespace LiveChat.Grains;

/// <summary>
/// The identities a contact is matched on for repeat contacts: the visitor id, and a phone number or e-mail address
/// the visitor gave, normalised and stored only as a salted SHA-256 (per site), never as the number itself.
/// </summary>
public static class ContactKeys
{
    public const string ByVisitor = "visitor";
    public const string ByPhone = "phone";
    public const string ByEmail = "email";

    public static string Visitor(string siteId, string visitorId) => Key(siteId, ByVisitor, visitorId);

    /// <returns>null when nothing of a number is left after normalising.</returns>
    public static string? Phone(string siteId, string? phone) => NormalisePhone(phone) is { } p ? Key(siteId, ByPhone, p) : null;

    public static string? Email(string siteId, string? email) =>
        email?.Trim() is { Length: > 0 } e ? Key(siteId, ByEmail, e.ToLowerInvariant()) : null;

    /// <summary>"kind:hash" → kind, to say how an earlier contact was matched.</summary>
    public static string Via(string key) => key[..key.IndexOf(':')];

    /// <summary>Digits only; a leading <c>+</c> or <c>00</c> both mean "international", so +31 6… and 0031 6… are one number.</summary>
    public static string? NormalisePhone(string? phone)
    {
        if (phone is null) return null;
        var trimmed = phone.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 6) return null;
        if (trimmed.StartsWith('+')) return "+" + digits;
        return digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..] : digits;
    }

    private static string Key(string siteId, string kind, string value) =>
        kind + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"livechat-contact\n{siteId}\n{kind}\n{value}")));
}
