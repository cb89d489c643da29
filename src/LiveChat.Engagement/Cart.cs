using System.Globalization;

namespace LiveChat.Engagement;

/// <summary>
/// A visitor's cart as told by page events: <c>cart_add {sku, price, quantity?}</c>, <c>cart_remove {sku, quantity?}</c>,
/// <c>cart_clear</c> and <c>order_placed</c>. Immutable: <see cref="Apply"/> returns the same instance when nothing changed.
/// Page code is untrusted, so bad numbers, unknown skus and floods are ignored rather than thrown on.
/// </summary>
public sealed class Cart
{
    public const string Add = "cart_add";
    public const string Remove = "cart_remove";
    public const string Clear = "cart_clear";
    public const string OrderPlaced = "order_placed";

    /// <summary>Lines kept at most: a script adding skus in a loop cannot grow a grain's state.</summary>
    public const int MaxLines = 100;
    public const int MaxSkuLength = 100;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxQuantity = 10_000;

    public static readonly Cart Empty = new([]);

    private readonly CartLine[] lines;

    private Cart(CartLine[] lines)
    {
        this.lines = lines;
        var value = 0m;
        foreach (var line in lines) value += line.Price * line.Quantity;
        Value = value;
    }

    public IReadOnlyList<CartLine> Lines => lines;

    /// <summary>Σ price × quantity; at most MaxLines × MaxPrice × MaxQuantity, far inside decimal's range.</summary>
    public decimal Value { get; }

    /// <summary>Restores a cart kept in grain state; invalid or surplus lines are dropped, repeated skus merged.</summary>
    public static Cart FromLines(IEnumerable<CartLine> lines)
    {
        var cart = Empty;
        foreach (var line in lines) cart = cart.With(line.Sku, line.Price, line.Quantity);
        return cart;
    }

    public static bool IsCartEvent(string eventName) => eventName is Add or Remove or Clear or OrderPlaced;

    /// <summary>The cart after one tracked event; other events and invalid properties leave it unchanged.</summary>
    public Cart Apply(string eventName, IReadOnlyDictionary<string, string>? properties)
    {
        switch (eventName)
        {
            case Clear or OrderPlaced:
                return lines.Length == 0 ? this : Empty;
            case Add:
                if (!TrySku(properties, out var sku) || !TryPrice(properties, out var price)) return this;
                if (!TryQuantity(properties, 1, out var quantity)) return this;
                return With(sku, price, quantity);
            case Remove:
                if (!TrySku(properties, out sku)) return this;
                if (!TryQuantity(properties, int.MaxValue, out quantity)) return this;
                return Without(sku, quantity);
            default:
                return this;
        }
    }

    /// <summary>Adding a sku again adds to its quantity at the latest price: the page knows the current price best.</summary>
    private Cart With(string sku, decimal price, int quantity)
    {
        if (!ValidSku(sku) || price is < 0 or > MaxPrice || quantity is < 1 or > MaxQuantity) return this;
        var index = IndexOf(sku);
        if (index < 0)
        {
            if (lines.Length >= MaxLines) return this;
            return new Cart([.. lines, new CartLine(sku, price, quantity)]);
        }
        var copy = (CartLine[])lines.Clone();
        copy[index] = new CartLine(sku, price, Math.Min(MaxQuantity, lines[index].Quantity + quantity));
        return new Cart(copy);
    }

    private Cart Without(string sku, int quantity)
    {
        var index = IndexOf(sku);
        if (index < 0) return this;
        var left = lines[index].Quantity - quantity;
        if (left > 0)
        {
            var copy = (CartLine[])lines.Clone();
            copy[index] = lines[index] with { Quantity = left };
            return new Cart(copy);
        }
        return new Cart([.. lines.AsSpan(0, index), .. lines.AsSpan(index + 1)]);
    }

    private int IndexOf(string sku)
    {
        for (var i = 0; i < lines.Length; i++)
            if (string.Equals(lines[i].Sku, sku, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static bool ValidSku(string? sku) => !string.IsNullOrWhiteSpace(sku) && sku.Length <= MaxSkuLength;

    private static bool TrySku(IReadOnlyDictionary<string, string>? properties, out string sku)
    {
        sku = properties is not null && properties.TryGetValue("sku", out var s) ? s.Trim() : "";
        return ValidSku(sku);
    }

    /// <summary>Invariant-culture decimal, no exponent or thousands separators; NaN, ∞ and overflow fail to parse.</summary>
    private static bool TryPrice(IReadOnlyDictionary<string, string>? properties, out decimal price)
    {
        price = 0;
        return properties is not null && properties.TryGetValue("price", out var text)
            && decimal.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out price)
            && price <= MaxPrice;
    }

    /// <summary>A whole number ≥ 1 (an absent quantity means <paramref name="absent"/>); "2.0" is accepted as 2.</summary>
    private static bool TryQuantity(IReadOnlyDictionary<string, string>? properties, int absent, out int quantity)
    {
        quantity = absent;
        if (properties is null || !properties.TryGetValue("quantity", out var text)) return true;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value)) return false;
        if (value != decimal.Truncate(value) || value < 1 || value > MaxQuantity) return false;
        quantity = (int)value;
        return true;
    }
}

/// <summary>One sku in the cart.</summary>
public sealed record CartLine(string Sku, decimal Price, int Quantity);
