namespace LiveChat.Engagement.Tests;

/// <summary>Parsing a site's rules: the documented format parses, and every refusal names the rule and the field.</summary>
public sealed class RuleParserTests
{
    private const string DesignExample = """
        [{
          "id": "loan-rates-confused",
          "situation": "Comparing loan rates",
          "when": {
            "pageMatches": "/loans/*",
            "timeOnPageSeconds": 45,
            "pagesViewedAtLeast": 2,
            "cartValueAtLeast": null,
            "event": null,
            "idleAfterEventSeconds": null,
            "returningVisitor": null,
            "referrerMatches": null,
            "utmCampaign": null
          },
          "then": { "text": "Questions about our rates? I can help.", "offers": ["chat", "callback"] },
          "onlyIfAgentAvailable": true,
          "maxPerVisit": 1,
          "cooldownSeconds": 600,
          "priority": 10
        }]
        """;

    /// <summary>Single quotes for readability in the tables below.</summary>
    private static string J(string text) => text.Replace('\'', '"');

    /// <summary>One rule 'a' with the given extra members (a JSON fragment starting with a comma, or empty).</summary>
    private static string A(string extra) => J("[{'id':'a','then':{'text':'Hi'}" + extra + "}]");

    [Fact]
    public void DesignExampleParses()
    {
        var result = RuleParser.Parse(DesignExample);
        Assert.True(result.Success, result.Error);
        var rule = Assert.Single(result.Rules);
        Assert.Equal("loan-rates-confused", rule.Id);
        Assert.Equal("/loans/*", rule.When.PageMatches);
        Assert.Equal(45, rule.When.TimeOnPageSeconds);
        Assert.Equal(["chat", "callback"], rule.Then.Offers);
        Assert.Equal(600, rule.CooldownSeconds);
        Assert.Equal(10, rule.Priority);
    }

    [Fact]
    public void FullRuleRoundTrips()
    {
        var json = A(",'situation':'Cart left idle','when':{'pageMatches':'regex:^/cart','timeOnPageSeconds':1.5,'pagesViewedAtLeast':1," +
            "'cartValueAtLeast':99.95,'event':'cart_add','idleAfterEventSeconds':60,'returningVisitor':false,'referrerMatches':'*google*'," +
            "'utmCampaign':'spring','businessHours':true},'onlyIfAgentAvailable':false,'maxPerVisit':null,'cooldownSeconds':0," +
            "'priority':-5,'suppressDuringNotice':true");
        var first = RuleParser.Parse(json);
        Assert.True(first.Success, first.Error);
        var again = RuleParser.Parse(RuleParser.Serialize(first.Rules));
        Assert.True(again.Success, again.Error);
        Assert.Equal(first.Rules[0] with { When = null!, Then = null! }, again.Rules[0] with { When = null!, Then = null! });
        Assert.Equal(first.Rules[0].When, again.Rules[0].When);
        Assert.True(again.Rules[0].SuppressDuringNotice);
        Assert.Null(again.Rules[0].MaxPerVisit);
    }

    [Fact]
    public void DefaultsApplyWhenFieldsAreAbsent()
    {
        var rule = Assert.Single(RuleParser.Parse(A("")).Rules);
        Assert.True(rule.OnlyIfAgentAvailable);
        Assert.Equal(1, rule.MaxPerVisit);
        Assert.Null(rule.CooldownSeconds);
        Assert.False(rule.SuppressDuringNotice);
        Assert.Equal(new RuleWhen(), rule.When);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    public void EmptyListIsValid(string json) => Assert.Empty(RuleParser.Parse(json).Rules);

    [Fact]
    public void FieldNamesIgnoreCaseAsTheWebDefaults() =>
        Assert.True(RuleParser.Parse(A(",'When':{'TimeOnPageSeconds':5}")).Success);

    [Fact]
    public void ManyRulesKeepTheirOrder()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 50).Select(i => J($"{{'id':'r{i}','then':{{'text':'t'}}}}"))) + "]";
        var result = RuleParser.Parse(json);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}"), result.Rules.Select(r => r.Id));
    }

    [Theory]
    [InlineData("", "rules must be a JSON array")]
    [InlineData("{}", "rules must be a JSON array")]
    [InlineData("null", "rules must be a JSON array")]
    [InlineData("'rules'", "rules must be a JSON array")]
    [InlineData("[1]", "rules[0]: must be an object")]
    [InlineData("[null]", "rules[0]: must be an object")]
    [InlineData("[{'then':{'text':'x'}}]", "rules[0]: id is required")]
    [InlineData("[{'id':'','then':{'text':'x'}}]", "rules[0]: id is required")]
    [InlineData("[{'id':null,'then':{'text':'x'}}]", "rules[0]: id is required")]
    [InlineData("[{'id':'a'}]", "rule 'a': then is required")]
    [InlineData("[{'id':'a','then':null}]", "rule 'a': then is required")]
    [InlineData("[{'id':'a','then':{}}]", "rule 'a': then.text is required")]
    [InlineData("[{'id':'a','then':{'offers':['chat']}}]", "rule 'a': then.text is required")]
    [InlineData("[{'id':'a','then':{'text':'  '}}]", "rule 'a': then.text is required")]
    [InlineData("[{'id':'a','then':{'text':'a\\u0007b'}}]", "rule 'a': then.text must not contain control characters")]
    [InlineData("[{'id':'has space','then':{'text':'x'}}]", "rule 'has space': id must be 1-64 letters, digits, '-', '_' or '.'")]
    [InlineData("[{'id':7,'then':{'text':'x'}}]", "rules[0]: id must be a string")]
    [InlineData("[{'id':'a','then':{'text':'x'}},{'id':'a','then':{'text':'y'}}]", "rule 'a': id is used by another rule")]
    [InlineData("[{'id':'a','then':{'text':'x'}},{'id':'b','then':{}}]", "rule 'b': then.text is required")]
    public void StructureErrorsNameTheRule(string json, string expected) =>
        Assert.Equal(expected, RuleParser.Parse(J(json)).Error);

    [Theory]
    [InlineData(",'colour':'red'", "rule 'a': colour is not a known field")]
    [InlineData(",'when':{'timeOnPage':5}", "rule 'a': when.timeOnPage is not a known field")]
    [InlineData(",'priority':1,'priority':2", "rule 'a': priority is given twice")]
    [InlineData(",'when':{'event':'x','Event':'y'}", "rule 'a': when.Event is given twice")]
    public void UnknownAndRepeatedFieldsAreNamed(string extra, string expectedStart) =>
        Assert.StartsWith(expectedStart, RuleParser.Parse(A(extra)).Error);

    [Fact]
    public void UnknownNestedFieldListsTheKnownOnes() =>
        Assert.Equal("rule 'a': then.html is not a known field (known: text, variants, offers)",
            RuleParser.Parse(J("[{'id':'a','then':{'text':'x','html':'<b>'}}]")).Error);

    [Fact]
    public void ThenGivenTwiceIsNamed() =>
        Assert.Equal("rule 'a': then is given twice", RuleParser.Parse(A(",'then':{'text':'again'}")).Error);

    [Theory]
    [InlineData(",'when':{'timeOnPageSeconds':'45'}", "rule 'a': when.timeOnPageSeconds must be a number")]
    [InlineData(",'when':{'cartValueAtLeast':'100'}", "rule 'a': when.cartValueAtLeast must be a number")]
    [InlineData(",'when':{'pagesViewedAtLeast':1.5}", "rule 'a': when.pagesViewedAtLeast must be a whole number")]
    [InlineData(",'when':{'pagesViewedAtLeast':3000000000}", "rule 'a': when.pagesViewedAtLeast must be a whole number")]
    [InlineData(",'when':{'returningVisitor':'yes'}", "rule 'a': when.returningVisitor must be true or false")]
    [InlineData(",'when':{'businessHours':1}", "rule 'a': when.businessHours must be true or false")]
    [InlineData(",'when':{'pageMatches':['/a']}", "rule 'a': when.pageMatches must be a string")]
    [InlineData(",'when':{'event':{}}", "rule 'a': when.event must be a string")]
    [InlineData(",'when':[]", "rule 'a': when must be an object")]
    [InlineData(",'when':'always'", "rule 'a': when must be an object")]
    [InlineData(",'when':null", "rule 'a': when is required")]
    [InlineData(",'priority':'high'", "rule 'a': priority must be a whole number")]
    [InlineData(",'priority':null", "rule 'a': priority must be a whole number, not null")]
    [InlineData(",'onlyIfAgentAvailable':'yes'", "rule 'a': onlyIfAgentAvailable must be true or false")]
    [InlineData(",'onlyIfAgentAvailable':null", "rule 'a': onlyIfAgentAvailable must be true or false, not null")]
    [InlineData(",'suppressDuringNotice':0", "rule 'a': suppressDuringNotice must be true or false")]
    [InlineData(",'maxPerVisit':'1'", "rule 'a': maxPerVisit must be a whole number")]
    [InlineData(",'cooldownSeconds':1.5", "rule 'a': cooldownSeconds must be a whole number")]
    [InlineData(",'situation':5", "rule 'a': situation must be a string")]
    public void WrongTypesAreNamed(string extra, string expected) =>
        Assert.Equal(expected, RuleParser.Parse(A(extra)).Error);

    [Theory]
    [InlineData("'text':'x','offers':'chat'", "rule 'a': then.offers must be an array of strings")]
    [InlineData("'text':'x','offers':['chat',1]", "rule 'a': then.offers must be an array of strings")]
    [InlineData("'text':'x','offers':['chat',null]", "rule 'a': then.offers must be an array of strings")]
    [InlineData("'text':'x','offers':['chat','fax']", "rule 'a': then.offers: unknown offer 'fax' (chat, callback, phone)")]
    [InlineData("'text':'x','offers':['Chat']", "rule 'a': then.offers: unknown offer 'Chat' (chat, callback, phone)")]
    [InlineData("'text':'x','offers':[]", "rule 'a': then.offers must name at least one offer (chat, callback, phone)")]
    [InlineData("'text':'x','offers':['chat','chat']", "rule 'a': then.offers names an offer twice")]
    [InlineData("'text':5", "rule 'a': then.text must be a string or an object of language → text, e.g. { \"nl\": \"…\", \"en\": \"…\" }")]
    public void InvalidOffersAndTextAreNamed(string then, string expected) =>
        Assert.Equal(expected, RuleParser.Parse(J("[{'id':'a','then':{" + then + "}}]")).Error);

    [Theory]
    [InlineData("'timeOnPageSeconds':-1", "when.timeOnPageSeconds must be between 0 and 86400")]
    [InlineData("'timeOnPageSeconds':-0.5", "when.timeOnPageSeconds must be between 0 and 86400")]
    [InlineData("'timeOnPageSeconds':86400.5", "when.timeOnPageSeconds must be between 0 and 86400")]
    [InlineData("'timeOnPageSeconds':1e300", "when.timeOnPageSeconds must be between 0 and 86400")]
    [InlineData("'event':'cart_add','idleAfterEventSeconds':-1", "when.idleAfterEventSeconds must be between 0 and 86400")]
    [InlineData("'event':'cart_add','idleAfterEventSeconds':86401", "when.idleAfterEventSeconds must be between 0 and 86400")]
    [InlineData("'idleAfterEventSeconds':60", "when.idleAfterEventSeconds needs when.event")]
    [InlineData("'pagesViewedAtLeast':-1", "when.pagesViewedAtLeast must be between 0 and 10000")]
    [InlineData("'pagesViewedAtLeast':10001", "when.pagesViewedAtLeast must be between 0 and 10000")]
    [InlineData("'cartValueAtLeast':-0.01", "when.cartValueAtLeast must be between 0 and 1000000000")]
    [InlineData("'cartValueAtLeast':1e12", "when.cartValueAtLeast must be between 0 and 1000000000")]
    [InlineData("'event':''", "when.event must be 1-64 letters, digits, '_', '-', '.' or ':'")]
    [InlineData("'event':'cart add'", "when.event must be 1-64 letters, digits, '_', '-', '.' or ':'")]
    [InlineData("'utmCampaign':''", "when.utmCampaign must be 1-100 characters")]
    [InlineData("'utmCampaign':'  '", "when.utmCampaign must be 1-100 characters")]
    [InlineData("'pageMatches':'loans/*'", "when.pageMatches must start with '/' or '*' (it is matched against the path and query, e.g. /loans/*)")]
    [InlineData("'pageMatches':''", "when.pageMatches is not a valid pattern: pattern is empty")]
    [InlineData("'pageMatches':'regex:'", "when.pageMatches is not a valid pattern: regex is empty")]
    [InlineData("'pageMatches':'regex:(?=/)^/(\\\\w+\\\\s?)*$'", "when.pageMatches is not a valid pattern: " + PagePattern.Unsupported)]
    [InlineData("'pageMatches':'regex:^/(?=.*checkout)(\\\\w+/?)+$'", "when.pageMatches is not a valid pattern: " + PagePattern.Unsupported)]
    [InlineData("'referrerMatches':'regex:(?<=/)(a|aa)+$'", "when.referrerMatches is not a valid pattern: " + PagePattern.Unsupported)]
    [InlineData("'referrerMatches':'regex:^/(\\\\w+)/\\\\1$'", "when.referrerMatches is not a valid pattern: " + PagePattern.Unsupported)]
    public void OutOfRangeValuesNameTheField(string when, string expected) =>
        Assert.Equal("rule 'a': " + expected, RuleParser.Parse(A(",'when':{" + when + "}")).Error);

    [Theory]
    [InlineData("'pageMatches':'regex:('", "rule 'a': when.pageMatches is not a valid pattern: ")]
    [InlineData("'referrerMatches':'regex:[a-'", "rule 'a': when.referrerMatches is not a valid pattern: ")]
    public void BadRegexesNameTheField(string when, string expectedStart) =>
        Assert.StartsWith(expectedStart, RuleParser.Parse(A(",'when':{" + when + "}")).Error);

    [Theory]
    [InlineData(",'maxPerVisit':0", "maxPerVisit must be between 1 and 100")]
    [InlineData(",'maxPerVisit':101", "maxPerVisit must be between 1 and 100")]
    [InlineData(",'cooldownSeconds':-1", "cooldownSeconds must be between 0 and 2592000")]
    [InlineData(",'cooldownSeconds':2592001", "cooldownSeconds must be between 0 and 2592000")]
    [InlineData(",'priority':1001", "priority must be between -1000 and 1000")]
    [InlineData(",'priority':-1001", "priority must be between -1000 and 1000")]
    public void OutOfRangeRuleSettingsAreNamed(string extra, string expected) =>
        Assert.Equal("rule 'a': " + expected, RuleParser.Parse(A(extra)).Error);

    [Fact]
    public void OverlongPatternIsNamed() =>
        Assert.Equal("rule 'a': when.pageMatches is longer than 500 characters",
            RuleParser.Parse(A($",'when':{{'pageMatches':'/{new string('x', 500)}'}}")).Error);

    [Fact]
    public void OverlongTextIsNamed() =>
        Assert.Equal("rule 'a': then.text is longer than 500 characters",
            RuleParser.Parse(J($"[{{'id':'a','then':{{'text':'{new string('x', 501)}'}}}}]")).Error);

    [Fact]
    public void OverlongIdIsNamedByPosition() =>
        Assert.Equal("rules[0]: id must be 1-64 letters, digits, '-', '_' or '.'",
            RuleParser.Parse(J($"[{{'id':'{new string('i', 65)}','then':{{'text':'x'}}}}]")).Error);

    [Fact]
    public void OverlongSituationIsNamed() =>
        Assert.Equal("rule 'a': situation must be at most 100 characters, without control characters",
            RuleParser.Parse(A($",'situation':'{new string('s', 101)}'")).Error);

    [Theory]
    [InlineData("not json")]
    [InlineData("[{'id':'a',}]")]
    [InlineData("[{'id':'a'")]
    [InlineData("[1,]")]
    [InlineData("[/* comment */]")]
    public void MalformedJsonSaysWhere(string json) =>
        Assert.StartsWith("invalid JSON at line 1, position ", RuleParser.Parse(J(json)).Error);

    [Fact]
    public void MalformedJsonOnALaterLineGivesThatLine() =>
        Assert.StartsWith("invalid JSON at line 3, position ", RuleParser.Parse("[\n{\"id\":\"a\",\n oops}]").Error);

    [Fact]
    public void TooManyRulesAreRefused()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("{}", RuleParser.MaxRules + 1)) + "]";
        Assert.Equal($"at most {RuleParser.MaxRules} rules per site", RuleParser.Parse(json).Error);
    }

    [Fact]
    public void TooLongJsonIsRefused() =>
        Assert.Equal($"rules are longer than {RuleParser.MaxJsonLength} characters",
            RuleParser.Parse("[" + new string(' ', RuleParser.MaxJsonLength) + "]").Error);

    [Fact]
    public void DeepNestingIsRefused() =>
        Assert.StartsWith("invalid JSON", RuleParser.Parse(new string('[', 100) + new string(']', 100)).Error);

    [Fact]
    public void FailedParseHasNoRules()
    {
        var result = RuleParser.Parse("{}");
        Assert.False(result.Success);
        Assert.Empty(result.Rules);
    }
}
