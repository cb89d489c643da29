namespace LiveChat.Engagement.Tests;

/// <summary>Parsing <c>holdoutPercent</c> and <c>then.variants</c>: accepted in range, refused by name otherwise.</summary>
public sealed class HoldoutAndVariantParserTests
{
    private static string J(string text) => text.Replace('\'', '"');

    private static RuleParseResult Parse(string rule) => RuleParser.Parse(J("[{'id':'a'," + rule + "}]"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(25)]
    [InlineData(50)]
    public void HoldoutPercentInRangeParses(int percent)
    {
        var result = Parse($"'then':{{'text':'Hi'}},'holdoutPercent':{percent}");
        Assert.True(result.Success, result.Error);
        Assert.Equal(percent, result.Rules[0].HoldoutPercent);
    }

    [Theory]
    [InlineData("51", "rule 'a': holdoutPercent must be between 0 and 50")]
    [InlineData("-1", "rule 'a': holdoutPercent must be between 0 and 50")]
    [InlineData("100", "rule 'a': holdoutPercent must be between 0 and 50")]
    [InlineData("'20'", "rule 'a': holdoutPercent must be a whole number")]
    [InlineData("12.5", "rule 'a': holdoutPercent must be a whole number")]
    [InlineData("true", "rule 'a': holdoutPercent must be a whole number")]
    public void BadHoldoutPercentIsNamed(string value, string expected) =>
        Assert.Equal(expected, Parse($"'then':{{'text':'Hi'}},'holdoutPercent':{value}").Error);

    [Theory]
    [InlineData("['Hi','Hello']")]
    [InlineData("['Need a hand?','Questions about delivery?','Can I help you choose?']")]
    public void TwoOrThreeVariantsParse(string variants)
    {
        var result = Parse($"'then':{{'variants':{variants},'offers':['chat']}}");
        Assert.True(result.Success, result.Error);
        Assert.Null(result.Rules[0].Then.Text);
        Assert.Equal(variants.Count(c => c == ',') + 1, result.Rules[0].Then.Variants!.Count);
    }

    [Theory]
    [InlineData("'variants':['Hi']", "then.variants must have 2-3 texts")]
    [InlineData("'variants':[]", "then.variants must have 2-3 texts")]
    [InlineData("'variants':['a','b','c','d']", "then.variants must have 2-3 texts")]
    [InlineData("'variants':['Hi','Hi']", "then.variants has the same text twice")]
    [InlineData("'variants':['Hi','  ']", "then.variants[1] is required")]
    [InlineData("'variants':['Hi','a\\u0007b']", "then.variants[1] must not contain control characters")]
    [InlineData("'variants':['Hi',3]", "then.variants[1] must be a string or an object of language → text, e.g. { \"nl\": \"…\", \"en\": \"…\" }")]
    [InlineData("'variants':'Hi'", "then.variants must be an array of texts (each a string or an object of language → text)")]
    [InlineData("'variants':['Hi',{'nl':'Hoi','dutch':'x'}]", "then.variants[1]: 'dutch' is not a language tag (BCP 47, e.g. nl, en, de-AT)")]
    [InlineData("'variants':[{'nl':'Hoi','en':'Hi'},{'en':'Hi','nl':'Hoi'}]", "then.variants has the same text twice")]
    [InlineData("'text':'Hi','variants':['a','b']", "then.text and then.variants cannot both be given: put every text in then.variants")]
    [InlineData("'offers':['chat']", "then.text is required")]
    public void BadVariantsAreNamed(string then, string expected) =>
        Assert.Equal("rule 'a': " + expected, Parse($"'then':{{{then}}}").Error);

    [Fact]
    public void OverlongVariantIsNamed() =>
        Assert.Equal("rule 'a': then.variants[0] is longer than 500 characters",
            Parse($"'then':{{'variants':['{new string('x', 501)}','b']}}").Error);

    [Fact]
    public void AVariantCanBeGivenPerLanguageAndReadsInTheVisitorsLanguage()
    {
        var result = Parse("'then':{'variants':[{'nl':'Hulp nodig?','en':'Need a hand?'},'Questions?']}");
        Assert.True(result.Success, result.Error);
        var then = result.Rules[0].Then;
        Assert.Equal("Hulp nodig?", then.TextFor(0, ["nl-BE", "en"]));
        Assert.Equal("Need a hand?", then.TextFor(0, ["de", "en"]));
        Assert.Equal("Questions?", then.TextFor(1, ["nl"]));
        var again = RuleParser.Parse(RuleParser.Serialize(result.Rules));
        Assert.True(again.Success, again.Error);
        Assert.Equal("Hulp nodig?", again.Rules[0].Then.TextFor(0, ["nl"]));
    }

    [Fact]
    public void HoldoutAndVariantsRoundTrip()
    {
        var first = Parse("'situation':'Cart','then':{'variants':['A','B','C']},'holdoutPercent':20");
        Assert.True(first.Success, first.Error);
        var json = RuleParser.Serialize(first.Rules);
        Assert.DoesNotContain("\"text\"", json);
        var again = RuleParser.Parse(json);
        Assert.True(again.Success, again.Error);
        Assert.Equal(20, again.Rules[0].HoldoutPercent);
        Assert.Equal(["A", "B", "C"], again.Rules[0].Then.Variants!.Select(v => v.ToString()));
    }
}
