using System.Buffers;
using System.Text;

namespace LiveChat.Server.Sites;

/// <summary>
/// Reads a request body as UTF-8 text, at most <c>maxBytes</c> of it, whatever <c>Content-Length</c> claims (or when it is
/// absent, as with chunked uploads): one reader for every endpoint that parses its own JSON so it can name the bad field.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The text, or null when the body is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadText(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var total = 0;
            while (total <= maxBytes)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(total, maxBytes + 1 - total), request.HttpContext.RequestAborted);
                if (read == 0) break;
                total += read;
            }
            if (total > maxBytes) return null;
            var bom = total >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(buffer, bom, total - bom);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
