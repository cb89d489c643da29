using System.Security.Cryptography;

namespace LiveChat.Grains;

/// <summary>Human-readable references such as <c>LC-7K3Q9</c>: no 0/O or 1/I to misread over the phone.</summary>
public static class References
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string New() => "LC-" + RandomNumberGenerator.GetString(Alphabet, 5);
}
