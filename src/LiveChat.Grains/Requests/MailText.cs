using System.Globalization;

namespace LiveChat.Grains;

/// <summary>
/// What the visitor's e-mails say (confirmation, an agent's reply, the chat transcript), in the languages the widget
/// speaks. A mail is written in the first of the visitor's languages found here (their Hello's list, the site's language
/// last, as the widget chooses), else English. Mails to the site's team stay English.
/// </summary>
public sealed record MailText(
    string Language,
    Func<string?, string> Greeting,
    Func<string, string, string> CallAt,
    Func<string, string> CallSoon,
    string MessageReceived,
    Func<string, string> YourReference,
    string YouWrote,
    Func<string, string> CallbackSubject,
    Func<string, string> MessageSubject,
    Func<string, string> ReplyFooter,
    Func<string, string> TranscriptTitle,
    Func<string, string> TranscriptSubject,
    string You,
    string Agent)
{
    /// <summary>Day names from Sunday and month names (the server runs without culture data: InvariantGlobalization).</summary>
    public required string[] Days { get; init; }
    public required string[] Months { get; init; }
    /// <summary>A date from (day name, day, month name, year, time), as this language writes it.</summary>
    public Func<string, int, string, int, string, string> Date { get; init; } = (dayName, d, month, year, time) => $"{dayName} {d} {month} {year}, {time}";

    public static readonly MailText English = new("en",
        name => name is { Length: > 0 } ? $"Hello {name}," : "Hello,",
        (phone, when) => $"We will call you on {phone} on {when}.",
        phone => $"We will call you back on {phone} as soon as we can.",
        "Thank you for your message. We will answer you by e-mail.",
        reference => $"Your reference: {reference}",
        "What you wrote:",
        reference => $"Your callback request [{reference}]",
        reference => $"We received your message [{reference}]",
        reference => $"Your reference: {reference}. You can reply to this e-mail.",
        when => $"Your chat of {when}",
        day => $"Your chat transcript ({day})",
        "You", "Agent")
    {
        Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    };

    public static readonly MailText Dutch = new("nl",
        name => name is { Length: > 0 } ? $"Beste {name}," : "Hallo,",
        (phone, when) => $"We bellen je op {phone} op {when}.",
        phone => $"We bellen je zo snel mogelijk terug op {phone}.",
        "Bedankt voor je bericht. We antwoorden je per e-mail.",
        reference => $"Je referentie: {reference}",
        "Wat je schreef:",
        reference => $"Je terugbelverzoek [{reference}]",
        reference => $"We hebben je bericht ontvangen [{reference}]",
        reference => $"Je referentie: {reference}. Je kunt op deze e-mail antwoorden.",
        when => $"Je chat van {when}",
        day => $"Het verslag van je chat ({day})",
        "Jij", "Medewerker")
    {
        Days = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        Months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    };

    public static readonly MailText German = new("de",
        name => name is { Length: > 0 } ? $"Hallo {name}," : "Hallo,",
        (phone, when) => $"Wir rufen Sie unter {phone} am {when} an.",
        phone => $"Wir rufen Sie so bald wie möglich unter {phone} zurück.",
        "Vielen Dank für Ihre Nachricht. Wir antworten Ihnen per E-Mail.",
        reference => $"Ihre Referenz: {reference}",
        "Was Sie geschrieben haben:",
        reference => $"Ihre Rückrufanfrage [{reference}]",
        reference => $"Wir haben Ihre Nachricht erhalten [{reference}]",
        reference => $"Ihre Referenz: {reference}. Sie können auf diese E-Mail antworten.",
        when => $"Ihr Chat vom {when}",
        day => $"Das Protokoll Ihres Chats ({day})",
        "Sie", "Mitarbeiter")
    {
        Days = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        Months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        Date = (dayName, d, month, year, time) => $"{dayName}, {d}. {month} {year}, {time} Uhr",
    };

    public static readonly MailText French = new("fr",
        name => name is { Length: > 0 } ? $"Bonjour {name}," : "Bonjour,",
        (phone, when) => $"Nous vous appellerons au {phone} le {when}.",
        phone => $"Nous vous rappellerons au {phone} dès que possible.",
        "Merci pour votre message. Nous vous répondrons par e-mail.",
        reference => $"Votre référence : {reference}",
        "Ce que vous avez écrit :",
        reference => $"Votre demande de rappel [{reference}]",
        reference => $"Nous avons bien reçu votre message [{reference}]",
        reference => $"Votre référence : {reference}. Vous pouvez répondre à cet e-mail.",
        when => $"Votre chat du {when}",
        day => $"La transcription de votre chat ({day})",
        "Vous", "Conseiller")
    {
        Days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        Months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        Date = (dayName, d, month, year, time) => $"{dayName} {d} {month} {year} à {time}",
    };

    private static readonly MailText[] All = [English, Dutch, German, French];

    /// <summary>The first of <paramref name="languages"/> (BCP 47 tags, best first) with a catalog here, by primary language; else English.</summary>
    public static MailText For(IEnumerable<string?>? languages)
    {
        foreach (var tag in languages ?? [])
        {
            if (tag is not { Length: >= 2 }) continue;
            var primary = tag.Split('-', 2)[0];
            if (Array.Find(All, m => string.Equals(m.Language, primary, StringComparison.OrdinalIgnoreCase)) is { } found) return found;
        }
        return English;
    }

    /// <summary>A date and time in this language ("maandag 7 december 2026, 14:30"), in <paramref name="at"/>'s own offset.</summary>
    public string DateTime(DateTimeOffset at) =>
        Date(Days[(int)at.DayOfWeek], at.Day, Months[at.Month - 1], at.Year, at.ToString("HH:mm", CultureInfo.InvariantCulture));
}
