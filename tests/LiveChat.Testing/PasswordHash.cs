using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveChat.Testing;

/// <summary>
/// An ASP.NET Core Identity v3 password hash, what <c>LiveChat:Agents:N:PasswordHash</c> holds (PBKDF2-HMAC-SHA512,
/// 16-byte salt, 32-byte subkey), made here so the load harness needs no server reference. The server verifies it with
/// Identity's own hasher (Server.Tests checks that). Fewer iterations sign bots in faster; the server accepts any count.
/// </summary>
public static class PasswordHash
{
    public const int DefaultIterations = 100_000; // Identity's own default

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, 32);
        var output = new byte[13 + salt.Length + subkey.Length];
        output[0] = 0x01; // format marker: v3
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 2); // KeyDerivationPrf.HMACSHA512
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(output, 13);
        subkey.CopyTo(output, 13 + salt.Length);
        return Convert.ToBase64String(output);
    }
}
