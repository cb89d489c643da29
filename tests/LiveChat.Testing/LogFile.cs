namespace LiveChat.Testing;

/// <summary>A process's output written line by line to a file (created with its folder), safe to call from any thread.</summary>
public sealed class LogFile : IDisposable
{
    private readonly StreamWriter writer;

    public LogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(path) { AutoFlush = true };
        FileName = Path.GetFileName(path);
    }

    public string FileName { get; }

    public void Write(string line)
    {
        lock (writer) writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (writer) writer.Dispose();
    }
}
