using System.Threading.Channels;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Email;
using LiveChat.Server.Webhooks;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace LiveChat.Server.Requests;

/// <summary>A delivery that retrying cannot fix (a 5xx SMTP refusal, a webhook no longer configured).</summary>
internal sealed class PermanentDeliveryException(string message) : Exception(message);

/// <summary>
/// Delivers the outbox grains' items off the grains' turns: a few workers send mail (MailKit) and webhook calls
/// (HTTP), each round retried with exponential backoff (Polly), and report the outcome to the outbox grain, which
/// persists it. A report that cannot reach the grain is not lost work: the grain's lease runs out and it tries again.
/// </summary>
internal sealed class OutboxTransport : BackgroundService, IOutboxTransport
{
    private const int Workers = 4;
    private readonly Channel<(string SiteId, OutboxItem Item)> queue =
        Channel.CreateBounded<(string, OutboxItem)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IGrainFactory grains;
    private readonly SmtpMailSender mail;
    private readonly WebhookSender hooks;
    private readonly ILogger<OutboxTransport> log;
    private readonly ResiliencePipeline pipeline;

    public OutboxTransport(IGrainFactory grains, SmtpMailSender mail, WebhookSender hooks, IOptions<LiveChatOptions> options, ILogger<OutboxTransport> log)
    {
        (this.grains, this.mail, this.hooks, this.log) = (grains, mail, hooks, log);
        var o = options.Value.Requests;
        var builder = new ResiliencePipelineBuilder();
        if (o.AttemptsPerRound > 1)
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.AttemptsPerRound - 1,
                Delay = o.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not PermanentDeliveryException and not OperationCanceledException || e is Polly.Timeout.TimeoutRejectedException),
            });
        pipeline = builder.AddTimeout(o.AttemptTimeout).Build();
    }

    public void Start(string siteId, OutboxItem item)
    {
        if (!queue.Writer.TryWrite((siteId, item)))
            log.LogWarning("Outbox transport is full; {Key} waits for its next round", item.Key);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => Work(stoppingToken), stoppingToken)));

    private async Task Work(CancellationToken stop)
    {
        try
        {
            await foreach (var (siteId, item) in queue.Reader.ReadAllAsync(stop))
            {
                var outcome = await Deliver(siteId, item, stop);
                if (outcome is null) return; // shutting down: the item stays pending and goes out after the restart
                try { await grains.GetGrain<IOutboxGrain>(siteId).Report(item.Key, outcome); }
                catch (Exception e) { log.LogWarning(e, "Could not record the outcome of {Key}; it will be tried again", item.Key); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    private async Task<DeliveryOutcome?> Deliver(string siteId, OutboxItem item, CancellationToken stop)
    {
        var tries = 0;
        try
        {
            await pipeline.ExecuteAsync(async ct =>
            {
                tries++;
                if (item.Mail is { } m) await mail.Send(m, ct);
                else if (item.Hook is { } h) await hooks.Send(siteId, h, ct);
                else throw new PermanentDeliveryException("nothing to deliver");
            }, stop);
            return new DeliveryOutcome(true, tries, null, false);
        }
        catch (PermanentDeliveryException e) { return new DeliveryOutcome(false, tries, e.Message, true); }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { return null; }
        catch (Exception e)
        {
            log.LogInformation("{Channel} {Key} to {Target}: round failed after {Tries} tries: {Error}", item.Channel, item.Key, item.Target, tries, e.Message);
            return new DeliveryOutcome(false, tries, e.Message, false);
        }
    }
}
