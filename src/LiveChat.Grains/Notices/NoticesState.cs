namespace LiveChat.Grains;

/// <summary>Everything the notices grain persists: the active notices (with stats) and the version of the set.</summary>
[GenerateSerializer]
public sealed class NoticesState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<string, NoticeRecord> Notices { get; set; } = [];
}
