using System.Globalization;

namespace LiveChat.Engagement.Tests;

/// <summary>The cart value from page events, and how untrusted input is ignored.</summary>
public sealed class CartTests
{
    /// <summary>Events written as <c>name?key=value&amp;…</c>, separated by <c>|</c>.</summary>
    private static Cart Run(string events)
    {
        var cart = Cart.Empty;
        foreach (var e in events.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var q = e.IndexOf('?');
            var name = q < 0 ? e : e[..q];
            var props = q < 0 ? new Dictionary<string, string>() : e[(q + 1)..].Split('&')
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
            cart = cart.Apply(name, props);
        }
        return cart;
    }

    [Theory]
    [InlineData("", "0")]
    [InlineData("cart_add?sku=a&price=10", "10")]
    [InlineData("cart_add?sku=a&price=10&quantity=3", "30")]
    [InlineData("cart_add?sku=a&price=19.99&quantity=3", "59.97")]
    [InlineData("cart_add?sku=a&price=0.1|cart_add?sku=b&price=0.2", "0.3")]
    [InlineData("cart_add?sku=a&price=10&quantity=2|cart_add?sku=a&price=10", "30")]
    [InlineData("cart_add?sku=a&price=10&quantity=2|cart_add?sku=a&price=12", "36")]
    [InlineData("cart_add?sku=a&price=10&quantity=2|cart_add?sku=b&price=5", "25")]
    [InlineData("cart_add?sku=a&price=0", "0")]
    [InlineData("cart_add?sku=a&price= 10.50 ", "10.50")]
    [InlineData("cart_add?sku=a&price=10&quantity=2.0", "20")]
    [InlineData("cart_add?sku=a&price=1000000", "1000000")]
    public void AddSumsPriceTimesQuantity(string events, string value) =>
        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), Run(events).Value);

    [Theory]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=a&quantity=1", "20")]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=a", "0")]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=a&quantity=5", "0")]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=b", "30")]
    [InlineData("cart_add?sku=a&price=10|cart_add?sku=b&price=5|cart_remove?sku=a", "5")]
    [InlineData("cart_add?sku=a&price=10|cart_remove?sku=A", "10")]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=a&quantity=0", "30")]
    [InlineData("cart_add?sku=a&price=10&quantity=3|cart_remove?sku=a&quantity=x", "30")]
    [InlineData("cart_remove?sku=a", "0")]
    public void RemoveTakesFromTheSameSku(string events, string value) =>
        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), Run(events).Value);

    [Theory]
    [InlineData("cart_clear")]
    [InlineData("order_placed")]
    public void ClearAndOrderPlacedEmptyTheCart(string name)
    {
        var cart = Run($"cart_add?sku=a&price=10|cart_add?sku=b&price=5|{name}");
        Assert.Equal(0m, cart.Value);
        Assert.Empty(cart.Lines);
        Assert.Same(Cart.Empty, cart);
    }

    [Theory]
    [InlineData("price=-5")]
    [InlineData("price=NaN")]
    [InlineData("price=Infinity")]
    [InlineData("price=1e5")]
    [InlineData("price=abc")]
    [InlineData("price=")]
    [InlineData("price=1,000")]
    [InlineData("price=1000000.01")]
    [InlineData("price=99999999999999999999999999999999999")]
    [InlineData("price=0x10")]
    [InlineData("price=10&quantity=0")]
    [InlineData("price=10&quantity=-1")]
    [InlineData("price=10&quantity=1.5")]
    [InlineData("price=10&quantity=10001")]
    [InlineData("price=10&quantity=lots")]
    [InlineData("price=10&quantity=1e3")]
    public void InvalidNumbersAreIgnored(string props)
    {
        var before = Run("cart_add?sku=keep&price=7");
        var after = before.Apply(Cart.Add, Props("sku=x&" + props));
        Assert.Same(before, after);
        Assert.Equal(7m, after.Value);
    }

    [Theory]
    [InlineData("price=10")]
    [InlineData("sku=&price=10")]
    [InlineData("sku=   &price=10")]
    [InlineData("sku=a")]
    public void AddNeedsSkuAndPrice(string props) =>
        Assert.Same(Cart.Empty, Cart.Empty.Apply(Cart.Add, Props(props)));

    [Fact]
    public void OverlongSkuIsIgnored() =>
        Assert.Same(Cart.Empty, Cart.Empty.Apply(Cart.Add, Props($"sku={new string('s', Cart.MaxSkuLength + 1)}&price=1")));

    [Fact]
    public void LinesAreBounded()
    {
        var cart = Cart.Empty;
        for (var i = 0; i < 250; i++) cart = cart.Apply(Cart.Add, Props($"sku=s{i}&price=1"));
        Assert.Equal(Cart.MaxLines, cart.Lines.Count);
        Assert.Equal(Cart.MaxLines, cart.Value);
        Assert.Equal(Cart.MaxLines + 4m, cart.Apply(Cart.Add, Props("sku=s0&price=1&quantity=4")).Value);
    }

    [Fact]
    public void QuantityPerLineIsCapped()
    {
        var cart = Run($"cart_add?sku=a&price=1&quantity={Cart.MaxQuantity}|cart_add?sku=a&price=1&quantity=5");
        Assert.Equal(Cart.MaxQuantity, cart.Lines.Single().Quantity);
    }

    [Theory]
    [InlineData("page_view")]
    [InlineData("search")]
    [InlineData("CART_ADD")]
    public void OtherEventsLeaveTheCartAlone(string name)
    {
        var cart = Run("cart_add?sku=a&price=3");
        Assert.Same(cart, cart.Apply(name, Props("sku=b&price=5")));
        Assert.False(Cart.IsCartEvent(name));
    }

    [Fact]
    public void NullPropertiesAreIgnored() => Assert.Same(Cart.Empty, Cart.Empty.Apply(Cart.Add, null));

    [Fact]
    public void RestoresFromStoredLines()
    {
        var cart = Run("cart_add?sku=a&price=2.5&quantity=2|cart_add?sku=b&price=1");
        var restored = Cart.FromLines(cart.Lines);
        Assert.Equal(cart.Lines, restored.Lines);
        Assert.Equal(6m, restored.Value);
        Assert.Equal(0m, Cart.FromLines([new CartLine("bad", -1, 1), new CartLine("", 1, 1), new CartLine("x", 1, 0)]).Value);
        Assert.Equal(3m, Cart.FromLines([new CartLine("a", 1, 1), new CartLine("a", 1, 2)]).Value);
    }

    [Theory]
    [InlineData("cart_add", true)]
    [InlineData("cart_remove", true)]
    [InlineData("cart_clear", true)]
    [InlineData("order_placed", true)]
    [InlineData("checkout", false)]
    public void KnowsItsEvents(string name, bool cartEvent) => Assert.Equal(cartEvent, Cart.IsCartEvent(name));

    private static Dictionary<string, string> Props(string query) =>
        query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
}
