// The demo shop: a catalogue, a cart in localStorage and the LiveChat calls a real shop would make.
// The stub lets pages call LiveChat.track before /widget.js (loaded async) has arrived.
window.LiveChat = window.LiveChat || { q: [], track: function () { this.q.push(arguments); } };

(function () {
  var PRODUCTS = [
    { sku: "LAMP-01", name: "Aurora desk lamp", price: 49, hue: 45, blurb: "Warm, dimmable light for late evenings." },
    { sku: "THROW-02", name: "Nordic wool throw", price: 89, hue: 200, blurb: "Soft merino, woven in Norway." },
    { sku: "POUR-03", name: "Ceramic pour-over set", price: 39.5, hue: 20, blurb: "Dripper, carafe and two cups." },
    { sku: "DESK-04", name: "Oak standing desk", price: 649, hue: 95, blurb: "Solid oak top, quiet dual motors." },
    { sku: "CHAIR-05", name: "Linen armchair", price: 429, hue: 280, blurb: "Deep seat, washable linen cover." },
    { sku: "RUG-06", name: "Hand-knotted rug", price: 289, hue: 340, blurb: "160 × 230 cm, pure new wool." },
  ];
  var KEY = "demo-shop-cart";
  var money = function (n) { return "£" + n.toFixed(2); };
  var find = function (sku) { return PRODUCTS.filter(function (p) { return p.sku === sku; })[0]; };
  var cart = function () { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } };
  var save = function (c) { try { localStorage.setItem(KEY, JSON.stringify(c)); } catch (e) { /* private mode */ } badge(); };
  var total = function (c) { return Object.keys(c).reduce(function (s, k) { var p = find(k); return s + (p ? p.price * c[k] : 0); }, 0); };
  var count = function (c) { return Object.keys(c).reduce(function (s, k) { return s + c[k]; }, 0); };
  var $ = function (sel) { return document.querySelector(sel); };
  var el = function (tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };

  function badge() { var b = $("#cart-count"); if (b) b.textContent = String(count(cart())); }

  function add(p, qty) {
    var c = cart();
    c[p.sku] = (c[p.sku] || 0) + qty;
    save(c);
    LiveChat.track("cart_add", { sku: p.sku, price: p.price, quantity: qty });
  }

  function swatch(p) { var s = el("div", "swatch h" + p.hue); s.textContent = p.name.charAt(0); return s; }

  var pages = {
    catalogue: function () {
      var grid = $("#grid");
      PRODUCTS.forEach(function (p) {
        var card = el("article", "product");
        var link = el("a");
        link.href = "product.html?sku=" + encodeURIComponent(p.sku);
        link.append(swatch(p), el("h2", null, p.name));
        var buy = el("button", "btn", "Add to cart");
        buy.addEventListener("click", function () { add(p, 1); buy.textContent = "Added ✓"; });
        card.append(link, el("p", "muted", p.blurb), el("p", "price", money(p.price)), buy);
        grid.append(card);
      });
    },
    product: function () {
      var p = find(new URLSearchParams(location.search).get("sku")) || PRODUCTS[0];
      document.title = p.name + " · Demo shop";
      $("#swatch").replaceWith(swatch(p));
      $("#name").textContent = p.name;
      $("#blurb").textContent = p.blurb;
      $("#price").textContent = money(p.price);
      LiveChat.track("product_view", { sku: p.sku, price: p.price });
      $("#buy").addEventListener("submit", function (e) {
        e.preventDefault();
        add(p, Math.max(1, parseInt($("#qty").value, 10) || 1));
        $("#added").hidden = false;
      });
    },
    cart: function () {
      var c = cart(), list = $("#lines");
      list.textContent = "";
      Object.keys(c).forEach(function (sku) {
        var p = find(sku); if (!p) return;
        var row = el("li", "line");
        var remove = el("button", "link", "Remove");
        remove.addEventListener("click", function () {
          var next = cart(); var qty = next[sku]; delete next[sku]; save(next);
          LiveChat.track("cart_remove", { sku: sku, price: p.price, quantity: qty });
          pages.cart();
        });
        row.append(swatch(p), el("span", "grow", p.name + " × " + c[sku]), el("strong", null, money(p.price * c[sku])), remove);
        list.append(row);
      });
      $("#empty").hidden = count(c) > 0;
      $("#summary").hidden = count(c) === 0;
      $("#total").textContent = money(total(c));
    },
    checkout: function () {
      var c = cart();
      if (!count(c)) { location.href = "cart.html"; return; }
      $("#total").textContent = money(total(c));
      LiveChat.track("checkout_start", { value: total(c), items: count(c) });
      $("#pay").addEventListener("submit", function (e) {
        e.preventDefault();
        var id = "D" + Date.now().toString(36).toUpperCase();
        LiveChat.track("order_placed", { orderId: id, value: total(c) });
        save({});
        $("#pay").hidden = true;
        $("#done").hidden = false;
        $("#order-id").textContent = id;
      });
    },
    loans: function () {
      var term = $("#term");
      var show = function () {
        var years = term.value;
        document.querySelectorAll("[data-term]").forEach(function (r) { r.classList.toggle("on", r.getAttribute("data-term") === years); });
      };
      var q = new URLSearchParams(location.search).get("term");
      if (q) term.value = q;
      show();
      // A single-page-style change of URL: the widget reports it as a page view.
      term.addEventListener("change", function () { history.pushState({}, "", "?term=" + term.value); show(); });
      window.addEventListener("popstate", function () { term.value = new URLSearchParams(location.search).get("term") || "5"; show(); });
    },
  };

  document.addEventListener("DOMContentLoaded", function () {
    badge();
    var page = pages[document.body.getAttribute("data-page")];
    if (page) page();
  });
})();
