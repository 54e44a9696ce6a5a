/* The tracker's filters, sort, search and counts (book/tracker.html).
 * Without JavaScript the whole table stands as it is; this script only shows
 * the form and hides rows. Each row's classes carry what it is filtered by:
 * nev-kind-*, nev-src-*, nev-body-*, nev-theme-*, nev-status-*. */
(function () {
  "use strict";
  var form = document.querySelector("form.nev-tracker-controls");
  var table = document.querySelector("table.nev-tracker-table");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var STATUS = ["delivered", "action-only", "partly", "too-early", "not-delivered", "contrary",
                "no-evidence", "v-consistent", "v-partly", "v-inconsistent", "v-not-checkable"];
  var LABEL = {"delivered": "delivered", "action-only": "action taken, aim not measurable",
    "partly": "partly", "too-early": "too early to judge", "not-delivered": "not delivered",
    "contrary": "contrary", "no-evidence": "no evidence found", "v-consistent": "claims consistent",
    "v-partly": "claims partly consistent", "v-inconsistent": "claims inconsistent",
    "v-not-checkable": "claims not checkable"};
  var countEl = form.querySelector(".nev-tracker-count");

  function values(row, prefix) {
    var out = [];
    row.classList.forEach(function (c) {
      if (c.indexOf(prefix) === 0) out.push(c.slice(prefix.length));
    });
    return out;
  }
  rows.forEach(function (row, i) {
    row._nev = {
      order: i,
      kind: values(row, "nev-kind-")[0],
      src: values(row, "nev-src-")[0],
      body: values(row, "nev-body-")[0],
      themes: values(row, "nev-theme-"),
      status: values(row, "nev-status-")[0],
      text: row.textContent.toLowerCase()
    };
  });

  function current() {
    var f = {};
    form.querySelectorAll("[data-filter]").forEach(function (el) {
      f[el.getAttribute("data-filter")] = el.value.trim().toLowerCase();
    });
    return f;
  }

  function matches(r, f) {
    if (f.kind && r.kind !== f.kind) return false;
    if (f.src && r.src !== f.src) return false;
    if (f.body && r.body !== f.body) return false;
    if (f.theme && r.themes.indexOf(f.theme) < 0) return false;
    if (f.status && r.status !== f.status) return false;
    if (f.q) {
      var words = f.q.split(/\s+/);
      for (var i = 0; i < words.length; i++) if (r.text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function sortRows(key) {
    var sorted = rows.slice().sort(function (a, b) {
      var x = a._nev, y = b._nev, d = 0;
      if (key === "status") d = STATUS.indexOf(x.status) - STATUS.indexOf(y.status);
      else if (key === "theme") d = (x.themes[0] || "").localeCompare(y.themes[0] || "");
      return d || x.order - y.order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  function update() {
    var f = current(), shown = 0, by = {};
    rows.forEach(function (row) {
      var ok = matches(row._nev, f);
      row.hidden = !ok;
      if (ok) {
        shown++;
        by[row._nev.status] = (by[row._nev.status] || 0) + 1;
      }
    });
    var parts = STATUS.filter(function (s) { return by[s]; }).map(function (s) {
      return LABEL[s] + " " + by[s];
    });
    countEl.textContent = "Showing " + shown + " of " + rows.length + " records" +
      (parts.length ? ": " + parts.join("; ") + "." : ".");
    countEl.setAttribute("data-shown", String(shown));
  }

  form.addEventListener("input", update);
  form.addEventListener("change", function (e) {
    if (e.target.hasAttribute("data-sort")) sortRows(e.target.value);
    update();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  // A permalink to a record the filters hide: clear the filters so it shows.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.hidden) {
      form.reset();
      update();
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  form.hidden = false;
  update();
})();
