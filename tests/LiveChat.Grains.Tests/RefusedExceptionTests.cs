using LiveChat.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LiveChat.Grains.Tests;

/// <summary>A refusal crosses silos (cluster mode) with its reason code: the hub guard sends the code to the client.</summary>
public sealed class RefusedExceptionTests
{
    [Fact]
    public void TheReasonCodeSurvivesSerialisation()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<RefusedException>(serializer.SerializeToArray(new RefusedException(ReasonCodes.ConversationEnded, "this conversation has ended")))!;
        var plain = serializer.Deserialize<RefusedException>(serializer.SerializeToArray(new RefusedException("that invitation is not open")))!;

        Assert.Equal((ReasonCodes.ConversationEnded, "this conversation has ended"), (copy.Code, copy.Message));
        Assert.Equal((ReasonCodes.Refused, "that invitation is not open"), (plain.Code, plain.Message));
    }
}
