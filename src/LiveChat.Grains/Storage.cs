namespace LiveChat.Grains;

/// <summary>The grain storage provider every LiveChat grain persists to (memory when embedded, Redis in a cluster).</summary>
public static class Storage
{
    public const string Name = "livechat";
}
