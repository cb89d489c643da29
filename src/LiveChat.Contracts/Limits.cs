namespace LiveChat.Contracts;

/// <summary>Input limits shared by the hubs, the widget and the tests, so every side refuses the same things.</summary>
public static class Limits
{
    public const int MessageText = 2000;
    public const int Url = 2048;
    public const int Title = 300;
    public const int EventName = 64;
    public const int EventProperties = 20;
    public const int PropertyValue = 256;
    public const int ClientMessageId = 64;
    public const int Id = 64;
    public const int Phone = 32;
    public const int Name = 100;
    public const int Email = 254;
    public const int Note = 1000;
    public const int JourneyEntries = 200;
    public const int MaxMessageBytes = 32 * 1024;
}
