using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveChat.LoadTests.Hosting;

/// <summary>
/// An ASP.NET Core Identity v3 password hash (what the server's LiveChat:Agents:N:PasswordHash holds), made
/// here so the embedded server can be given load-test agent accounts without a package for it.
/// </summary>
internal static class PasswordHash
{
    private const int Iterations = 10_000; // the server accepts it (and would suggest a rehash): fast sign-in for bots

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        var output = new byte[13 + salt.Length + subkey.Length];
        output[0] = 0x01; // format marker: v3
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 1); // KeyDerivationPrf.HMACSHA256
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(output, 13);
        subkey.CopyTo(output, 13 + salt.Length);
        return Convert.ToBase64String(output);
    }
}
