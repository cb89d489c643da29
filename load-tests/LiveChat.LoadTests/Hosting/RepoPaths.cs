namespace LiveChat.LoadTests.Hosting;

/// <summary>Finds the repository root (the folder with LiveChat.sln) from the working directory or the binary's folder.</summary>
internal static class RepoPaths
{
    public static string? Root { get; } = Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory);

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>
    /// Where a run writes its reports: <c>--reports DIR</c>, else the ignored <c>artifacts/load-tests/</c>, so a run never
    /// changes tracked files; curated reports are copied into <c>load-tests/reports/</c> on purpose.
    /// </summary>
    public static string ReportsRoot(string? given) =>
        given ?? Path.Combine(Root ?? Directory.GetCurrentDirectory(), "artifacts", "load-tests");
}
