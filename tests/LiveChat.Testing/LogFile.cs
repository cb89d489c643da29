namespace LiveChat.Testing;

/// <summary>A process's output written line by line to a file (created with its folder), safe to call from any thread.</summary>
public sealed class LogFile : IDisposable
{
    private readonly StreamWriter writer;
    private bool closed;

    public LogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(path) { AutoFlush = true };
        FileName = Path.GetFileName(path);
    }

    public string FileName { get; }

    public void Write(string line)
    {
        lock (writer) if (!closed) writer.WriteLine(line);
    }

    /// <summary>Closes the file; lines that still arrive (a dying process's last words) are dropped.</summary>
    public void Dispose()
    {
        lock (writer)
        {
            closed = true;
            writer.Dispose();
        }
    }
}
