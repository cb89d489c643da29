using LiveChat.Server;

var app = LiveChatApplication.Create(args);
await app.RunAsync();
