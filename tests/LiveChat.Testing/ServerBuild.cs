namespace LiveChat.Testing;

/// <summary>Finds the repository and built server dlls, for tests and the load harness that start them as processes.</summary>
public static class ServerBuild
{
    /// <summary>LiveChat.Server.dll of the same configuration as the running assembly, and the server's project folder (its content root).</summary>
    public static (string Dll, string ContentRoot) Locate()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = bin.Name;                       // net10.0
        var configuration = bin.Parent!.Name;           // Debug or Release
        var contentRoot = Path.Combine(RepositoryRoot(), "src", "LiveChat.Server");
        var dll = Path.Combine(contentRoot, "bin", configuration, framework, "LiveChat.Server.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution ({configuration}) first");
        return (dll, contentRoot);
    }

    /// <summary>The folder holding LiveChat.sln above the running assembly.</summary>
    public static string RepositoryRoot() =>
        FindRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException($"LiveChat.sln not found above {AppContext.BaseDirectory}");

    /// <summary>The folder holding LiveChat.sln at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The most recently built <paramref name="dllName"/> of a project (Release preferred when both are equally fresh), or null.</summary>
    /// <param name="project">the project folder relative to the repository root, e.g. <c>src/LiveChat.Server</c>.</param>
    public static string? Newest(string root, string project, string dllName) =>
        new[] { "Release", "Debug" }
            .Select(c => Path.Combine(root, project, "bin", c, "net10.0", dllName))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
}
