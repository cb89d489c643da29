using System.Diagnostics;
using MimeKit;

namespace LiveChat.Tests.Mail; // shared by the server and cluster suites (linked into both)

/// <summary>
/// A real SMTP server on a free loopback port: Debian's python3-aiosmtpd running <c>smtp_sink.py</c> (with
/// <c>/usr/bin/python3</c>, which has the Debian package), storing what it accepts and refusing the first N attempts with 451.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private SmtpSink(Process process, string folder, int port) => (this.process, this.folder, Port) = (process, folder, port);

    public int Port { get; }

    /// <summary>DATA commands seen so far (refused ones included).</summary>
    public int Attempts => File.Exists(Path.Combine(folder, "attempts.log")) ? File.ReadAllLines(Path.Combine(folder, "attempts.log")).Length : 0;

    /// <summary>A free loopback port (to reserve an address for a sink started later).</summary>
    public static int FreePort() => LiveChat.Testing.Ports.Free();

    public static async Task<SmtpSink> Start(int refuseFirst = 0, int? port = null)
    {
        var chosen = port ?? FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "livechat-smtp-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(folder);
        var script = Path.Combine(AppContext.BaseDirectory, "smtp_sink.py");
        var info = new ProcessStartInfo("/usr/bin/python3", ["-u", script, "--port", chosen.ToString(), "--dir", folder, "--refuse", refuseFirst.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "ready")
        {
            process.Kill();
            throw new InvalidOperationException("the SMTP sink did not start (is python3-aiosmtpd installed? test.sh installs it): " + await process.StandardError.ReadToEndAsync());
        }
        return new SmtpSink(process, folder, chosen);
    }

    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.Load(f)).OrderBy(m => m.Date).ToList();

    /// <summary>Waits (at most 30 s) until a received message matches.</summary>
    public async Task<MimeMessage> Next(Func<MimeMessage, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (Messages().FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no e-mail {what} within 30 s; received: {string.Join(" | ", Messages().Select(m => m.Subject))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
