using System.Diagnostics;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Identity;

namespace LiveChat.Cluster.Tests;

/// <summary>The tools docs/operations.md tells operators to use.</summary>
public sealed class OperationsToolTests
{
    [Fact]
    public async Task HashPasswordScriptMakesHashesTheServerAccepts()
    {
        var script = Path.Combine(ServerBuild.RepositoryRoot(), "deploy", "hash-password.py");
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception) { Assert.Skip("python3 is not installed"); return; }
        using var _ = process;
        await process.StandardInput.WriteAsync("s3cret päss");
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var hash = (await process.StandardOutput.ReadToEndAsync(cts.Token)).Trim();
        await process.WaitForExitAsync(cts.Token);

        var hasher = new PasswordHasher<AgentOptions>();
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(new AgentOptions(), hash, "s3cret päss"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(new AgentOptions(), hash, "s3cret pass"));
    }
}
