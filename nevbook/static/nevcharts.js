/* Draw the book's charts with the site's own copy of Vega (no CDN).
 * Each chart is a .nev-chart element whose data-spec names an inert
 * <script type="application/json"> holding a Vega spec compiled at build time.
 * Loaded with defer, after vega.min.js. */
(function () {
  "use strict";
  var tip = null;

  function tooltipBox() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "nev-tooltip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    return tip;
  }

  // Vega tooltip handler: value is an object (field -> formatted text) or text.
  function showTooltip(handler, event, item, value) {
    var box = tooltipBox();
    if (value === null || value === undefined || value === "") {
      box.classList.remove("nev-visible");
      return;
    }
    box.textContent = "";
    if (typeof value === "object") {
      var table = document.createElement("table");
      Object.keys(value).forEach(function (key) {
        var row = table.insertRow();
        var th = document.createElement("th");
        th.textContent = key;
        row.appendChild(th);
        row.insertCell().textContent = String(value[key]);
      });
      box.appendChild(table);
    } else {
      box.textContent = String(value);
    }
    box.classList.add("nev-visible");
    var pad = 12, w = box.offsetWidth, h = box.offsetHeight;
    var x = event.clientX + pad, y = event.clientY + pad;
    if (x + w > window.innerWidth - 4) x = Math.max(4, event.clientX - w - pad);
    if (y + h > window.innerHeight - 4) y = Math.max(4, event.clientY - h - pad);
    box.style.left = x + "px";
    box.style.top = y + "px";
  }

  // Give the main thread back between steps, so that drawing several charts
  // is a series of short tasks rather than one long one (input stays responsive).
  function yieldToBrowser() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function draw(el) {
    var script = document.getElementById(el.getAttribute("data-spec"));
    var view = new vega.View(vega.parse(JSON.parse(script.textContent)), {
      renderer: "svg", container: el, hover: true, tooltip: showTooltip
    });
    return view.runAsync().then(function () {
      // The build-time drawing stood in until now, over the same reserved height.
      el.querySelectorAll(".nev-static").forEach(function (n) { n.remove(); });
      el.setAttribute("data-drawn", "true");
      // When it was drawn, in ms from navigation start (read by the benchmark).
      el.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
    });
  }

  function fail(el, err) {
    el.setAttribute("data-drawn", "error");
    el.textContent = "This chart could not be drawn (" + err.message +
      "). The data table below holds its figures.";
    console.error("nevcharts: " + el.id + ": " + err.message);
  }

  // "Link to this chart": the link works as it is; with a clipboard, it also copies the address.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.nev-permalink");
    if (!a || !navigator.clipboard) return;
    var url = location.href.split("#")[0] + a.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      a.setAttribute("data-copied", "true");
      a.textContent = "Link copied";
      setTimeout(function () { a.textContent = "Link to this chart"; a.removeAttribute("data-copied"); }, 2000);
    }, function () {});
  });

  var charts = document.querySelectorAll(".nev-chart[data-spec]");
  if (typeof vega === "undefined") {
    charts.forEach(function (el) { fail(el, new Error("Vega did not load")); });
    return;
  }
  // One chart after another, in page order, each in its own tasks.
  var queue = Promise.resolve();
  charts.forEach(function (el) {
    queue = queue.then(function () {
      try {
        return draw(el).catch(function (err) { fail(el, err); }).then(yieldToBrowser);
      } catch (err) {
        fail(el, err);
      }
    });
  });
})();
