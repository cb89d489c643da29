using LiveChat.Server;
using LiveChat.Server.Auth;

// `dotnet run --project src/LiveChat.Server -- hash-password` reads a password on stdin and prints its hash for LiveChat:Agents.
if (args is ["hash-password"])
{
    Console.WriteLine(AgentAccounts.Hash(Console.In.ReadToEnd().TrimEnd('\r', '\n')));
    return;
}

var app = LiveChatApplication.Create(args);
await app.RunAsync();
