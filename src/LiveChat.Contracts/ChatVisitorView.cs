namespace LiveChat.Contracts;

/// <summary>Pushed to the agent of a chat (<c>ChatVisitor</c>): its visitor left the site, or came back.</summary>
[GenerateSerializer]
public sealed record ChatVisitorView(string ConversationId, bool Present);
