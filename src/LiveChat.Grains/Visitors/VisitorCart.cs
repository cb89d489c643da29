using System.Globalization;
using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Cart lines from tracked events: cart_add/cart_remove by sku, cart_clear and order_placed empty it.</summary>
internal static class VisitorCart
{
    private const int MaxLines = 100;

    public static void Apply(List<CartLine> cart, string name, IReadOnlyDictionary<string, string> p)
    {
        switch (name)
        {
            case "cart_clear" or "order_placed": cart.Clear(); break;
            case "cart_add" when p.TryGetValue("sku", out var sku) && Number(p, "price") is { } price:
                var quantity = (int)(Number(p, "quantity") ?? 1);
                if (quantity < 1) return;
                var i = cart.FindIndex(l => l.Sku == sku);
                if (i >= 0) cart[i] = cart[i] with { Quantity = cart[i].Quantity + quantity, Price = price };
                else if (cart.Count < MaxLines) cart.Add(new CartLine(sku, price, quantity));
                break;
            case "cart_remove" when p.TryGetValue("sku", out var sku):
                var j = cart.FindIndex(l => l.Sku == sku);
                if (j < 0) return;
                var remove = (int)(Number(p, "quantity") ?? cart[j].Quantity);
                if (remove >= cart[j].Quantity) cart.RemoveAt(j);
                else if (remove > 0) cart[j] = cart[j] with { Quantity = cart[j].Quantity - remove };
                break;
        }
    }

    public static decimal Value(IEnumerable<CartLine> cart) => cart.Sum(l => l.Price * l.Quantity);

    private static decimal? Number(IReadOnlyDictionary<string, string> p, string key) =>
        p.TryGetValue(key, out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            && d >= 0 && d <= 1_000_000 ? d : null;
}
