using System.Text.Json;
using LiveChat.Engagement;

namespace LiveChat.Engagement.Tests;

/// <summary>Site-written text per language: which text a reader gets, how it parses, and what validation says.</summary>
public sealed class LocalizedTextTests
{
    private static readonly LocalizedText Texts = LocalizedText.Of([new("nl", "Hoi"), new("en", "Hi"), new("de-AT", "Servus")]);

    [Theory]
    [InlineData(new[] { "nl-BE" }, "Hoi")]
    [InlineData(new[] { "NL" }, "Hoi")]
    [InlineData(new[] { "de-AT" }, "Servus")]
    [InlineData(new[] { "de-DE", "de" }, "Hi")] // no German besides Austrian, no site default: English
    [InlineData(new[] { "fr", "nl" }, "Hoi")] // the site's default comes last in the list
    [InlineData(new string[0], "Hi")]
    public void TheReaderGetsTheirLanguageThenItsPrimaryThenTheSitesThenEnglish(string[] languages, string expected) =>
        Assert.Equal(expected, Texts.For(languages));

    [Fact]
    public void WithoutEnglishTheFirstWrittenIsTheLastResort() =>
        Assert.Equal("Hallo", LocalizedText.Of([new("de", "Hallo"), new("nl", "Hoi")]).For(["fr"]));

    [Fact]
    public void AStringIsForEveryone() => Assert.Equal("Hi", LocalizedText.Of("Hi").For(["nl"]));

    [Fact]
    public void ARuleTextPerLanguageParsesAndSerializesInTheSameShape()
    {
        var parsed = RuleParser.Parse("""[ { "id": "r", "then": { "text": { "nl": "Hoi", "en": "Hi" } } } ]""");
        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal("Hoi", parsed.Rules[0].Then.TextFor(null, ["nl"]));
        Assert.Equal("Hi", parsed.Rules[0].Then.TextFor(null, ["fr"]));
        using var back = JsonDocument.Parse(RuleParser.Serialize(parsed.Rules));
        Assert.Equal("Hoi", back.RootElement[0].GetProperty("then").GetProperty("text").GetProperty("nl").GetString());
        var plain = RuleParser.Parse("""[ { "id": "r", "then": { "text": "Hi" } } ]""");
        Assert.Equal("\"Hi\"", JsonDocument.Parse(RuleParser.Serialize(plain.Rules)).RootElement[0].GetProperty("then").GetProperty("text").GetRawText());
    }

    [Theory]
    [InlineData("""{ "nl_NL": "Hoi" }""", "rule 'r': then.text: 'nl_NL' is not a language tag")]
    [InlineData("""{ "nl": "" }""", "rule 'r': then.text.nl is required")]
    [InlineData("""{ "nl": null }""", "rule 'r': then.text.nl must be a string")]
    [InlineData("""{ "nl": "a", "nl": "b" }""", "rule 'r': then.text: 'nl' is given twice")]
    [InlineData("""{ }""", "rule 'r': then.text must name at least one language")]
    [InlineData("""true""", "rule 'r': then.text must be a string or an object of language")]
    public void ABadTextPerLanguageIsRefusedNamingTheFieldAndTheTag(string text, string expected)
    {
        var parsed = RuleParser.Parse($$"""[ { "id": "r", "then": { "text": {{text}} } } ]""");
        Assert.False(parsed.Success);
        Assert.StartsWith(expected, parsed.Error);
    }

    [Fact]
    public void TooLongATextIsRefusedWithItsLanguage()
    {
        var parsed = RuleParser.Parse($$"""[ { "id": "r", "then": { "text": { "en": "Hi", "nl": "{{new string('x', 501)}}" } } } ]""");
        Assert.Equal("rule 'r': then.text.nl is longer than 500 characters", parsed.Error);
    }

    [Theory]
    [InlineData("nl", true)]
    [InlineData("en-GB", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("nl_NL", false)]
    [InlineData("n", false)]
    [InlineData("", false)]
    [InlineData("nederlands", false)]
    public void LanguageTagsHaveTheShapeBrowsersSend(string tag, bool ok) => Assert.Equal(ok, LocalizedText.IsLanguageTag(tag));
}
