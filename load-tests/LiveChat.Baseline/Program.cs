using LiveChat.Baseline;

// A bare ASP.NET Core SignalR hub at /hubs/visitor: a small record per connection and one Task.Delay per visitor,
// answering Hello in LiveChat's shape and pushing the same Invitation. `--linger S` sets the delay (default 10 s).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR();
builder.Services.AddSingleton<BareVisitors>();
builder.Services.AddSingleton(new BareSettings(TimeSpan.FromSeconds(builder.Configuration.GetValue("linger", 10.0))));

var app = builder.Build();
app.MapGet("/health/ready", () => "ready");
app.MapHub<BareVisitorHub>("/hubs/visitor");
app.Run();
