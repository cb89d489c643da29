using System.Globalization;
using System.Net;
using System.Text;

namespace LiveChat.LoadTests.Reports;

/// <summary>A line chart as inline SVG: no scripts, no external resources, readable in any browser or mail client.</summary>
internal static class SvgChart
{
    internal sealed record Series(string Label, string Color, IReadOnlyList<(double X, double Y)> Points);

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, int width = 960, int height = 320)
    {
        const int left = 64, right = 16, top = 36, bottom = 44;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var points = series.SelectMany(s => s.Points).ToList();
        var maxX = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.X));
        var maxY = NiceCeiling(points.Count == 0 ? 1 : points.Max(p => p.Y));
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        double X(double x) => left + x / maxX * plotW;
        double Y(double y) => top + plotH - Math.Min(y, maxY) / maxY * plotH;

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Esc(title)}</text>");
        for (var i = 0; i <= 5; i++)
        {
            var v = maxY * i / 5;
            var y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{left + plotW}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(v)}</text>");
        }
        var step = NiceCeiling(maxX / 10);
        for (var x = 0.0; x <= maxX + 1e-9; x += step)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(x))}\" y1=\"{top + plotH}\" x2=\"{F(X(x))}\" y2=\"{top + plotH + 4}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(x))}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{F(x)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{Esc(xLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{top + plotH / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + plotH / 2})\">{Esc(yLabel)}</text>");
        var legendX = left + 8.0;
        foreach (var s in series)
        {
            if (s.Points.Count > 0)
            {
                var path = string.Join(" ", s.Points.OrderBy(p => p.X).Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{F(X(p.X))},{F(Y(p.Y))}"));
                sb.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.5\"/>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(legendX)}\" y=\"{top + 6}\" width=\"12\" height=\"3\" fill=\"{s.Color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legendX + 16)}\" y=\"{top + 11}\">{Esc(s.Label)}</text>");
            legendX += 24 + s.Label.Length * 6.5;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double NiceCeiling(double v)
    {
        if (v <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * magnitude >= v) return m * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
