using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// When another node leaves the cluster (killed or stopped), this node re-reports the visitors whose connections it
/// holds (<see cref="PresenceHolds.Reattach"/>): their grains or presence shards may have lived on that node, or lost
/// their directory entry there (Orleans then deactivates them on the survivors too), and come back without them. A short
/// pause first lets the cluster finish those deactivations, so the re-report reaches the new activations.
/// </summary>
internal sealed class PresenceRecovery(IClusterMembershipService membership, ILocalSiloDetails silo, PresenceHolds holds, ILogger<PresenceRecovery> log)
    : BackgroundService
{
    internal static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var active = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
                var gone = active.Where(s => !now.Contains(s) && !s.Equals(silo.SiloAddress)).ToList();
                active = now;
                if (gone.Count == 0 || snapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active) continue;
                log.LogInformation("Node {Silos} left the cluster: re-reporting the presence of the visitors connected here", string.Join(", ", gone));
                _ = Task.Delay(Settle, stoppingToken).ContinueWith(_ => holds.Reattach(), stoppingToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
            }
        }
        catch (OperationCanceledException) { }
    }
}
