namespace LiveChat.Server.Email;

/// <summary><c>LiveChat:Email</c>: SMTP delivery. Without <c>Smtp:Host</c> and <c>From</c> no e-mail is sent and the widget promises none.</summary>
public sealed class EmailOptions
{
    public SmtpOptions Smtp { get; set; } = new();
    /// <summary>The sender, e.g. <c>"Example Shop &lt;service@shop.example&gt;"</c>; its domain ends every Message-Id.</summary>
    public string? From { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host) && !string.IsNullOrWhiteSpace(From);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary><c>none</c>, <c>starttls</c> or <c>tls</c> (TLS from the first byte, usually port 465).</summary>
    public string UseTls { get; set; } = "starttls";
    public string? User { get; set; }
    public string? Password { get; set; }
}
