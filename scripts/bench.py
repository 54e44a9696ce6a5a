"""Benchmark this book against a default Jupyter Book + Altair build of the same
notebooks, measured side by side in one run, and write BENCHMARK.md.

    .venv/bin/python scripts/bench.py           # full run, writes BENCHMARK.md (about 25 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --quick   # 1 load on 2 pages, no Lighthouse (a few minutes)
    .venv/bin/python scripts/bench.py --reuse-builds --pages dual-credit,batteries --lighthouse dual-credit

Anything short of the full run writes _build/bench/BENCHMARK-quick.md instead
(``--out`` to choose). In the browser it measures, beside the default build,
the time until every chart is visible (its build-time drawing shown, or the
live chart drawn) and until every chart is interactive (the live chart drawn),
the charts shown with JavaScript disabled, cumulative layout shift, and
Lighthouse mobile on every chapter page; the budgets are issue 22's.

Everything happens under _build/bench/ (gitignored): two scratch copies of the
book (``book``: this repository's _config.yml; ``default``: the `jupyter-book
create` configuration), an npm prefix with the CDN scripts Altair asks for and
Lighthouse. The default build's charts are Altair's own output
(NEVBOOK_PLAIN_ALTAIR=1, see nevbook/charts.py). Ratios are this book / default.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import json
import mimetypes
import os
import platform
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "_build" / "bench"
NPM = WORK / "npm"
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from nevbook.publish.chromium import ARGS as CHROME_ARGS, PATH as CHROMIUM  # noqa: E402
from nevbook.chapter import PAGE_GZIP_BUDGET as PAGE_GZIP, PAGE_GZIP_OWN  # noqa: E402
LIGHTHOUSE = "lighthouse@13.5.0"
EDITED = "dual-credit"  # the notebook edited for the incremental rebuild
BUILDS = ("book", "default")
CHART_JS_GZIP = 200_000  # BOOK.md §6 (tests/test_site.py: BUDGET_CHART_JS_GZIP)
# Issue 22's budgets, each over every chapter page (the slowest chapter's median, the worst page):
VISIBLE_MS = 350  # every chart visible (its build-time drawing shown, or the live chart drawn)
DRAW_MS = 700  # every chart interactive (the live chart drawn)
CLS_MAX = 0.01  # cumulative layout shift below it (Lighthouse's "good" is 0.1)
LH_MIN = {"performance": 95, "accessibility": 100, "best-practices": 100}  # Lighthouse mobile, worst page
QUICK_PAGES = ("dual-credit", "batteries")  # --quick measures these in the browser
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}
TEMPLATE = VENV.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "jupyter_book" / "book_template"
# Injected into every page, times in ms from navigation start (performance.now()):
# - drawn[chart]: the live chart holds drawn marks: an SVG data mark in svg.marks
#   (checked on every DOM mutation) or a painted pixel in canvas.marks (every frame);
# - ready[chart]: its build-time drawing (the <img> of the <picture> the page
#   displays) has loaded and decoded (img.decode()), taken at the next animation
#   frame, i.e. the frame that can paint it; h0: the chart box's height then;
# - painted[chart]: Element Timing's renderTime for that <img> (the frame that
#   painted it: only images Chromium has painted report, the viewport and what it rasterises ahead);
# - shifts: every layout-shift entry (buffered), with the elements that moved.
DETECT = r"""(() => {
  const B = window.__bench = {n: 0, drawn: {}, ready: {}, painted: {}, h0: {}, shifts: [], failed: 0};
  const inked = c => { try { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]) return true; } catch (e) {} return false; };
  const name = n => { if (!n || !n.nodeName) return '?'; const c = n.closest && n.closest('.nev-chart, [id^="altair-viz-"]');
    if (c) return 'chart ' + c.id; const cls = typeof n.className === 'string' ? n.className.trim().split(/\s+/)[0] : '';
    return n.nodeName.toLowerCase() + (n.id ? '#' + n.id : '') + (cls ? '.' + cls : ''); };
  const watch = (type, f) => { try { new PerformanceObserver(l => l.getEntries().forEach(f)).observe({type, buffered: true}); } catch (e) {} };
  watch('layout-shift', e => { if (!e.hadRecentInput) B.shifts.push({t: e.startTime, v: e.value, src: (e.sources || []).map(s => name(s.node))}); });
  watch('element', e => { const k = e.identifier; if (k && !(k in B.painted)) B.painted[k] = e.renderTime || e.loadTime; });
  function check(frame) {
    const els = document.querySelectorAll('.nev-chart, [id^="altair-viz-"]');
    B.n = els.length; B.failed = 0;
    els.forEach((el, i) => {
      if (el.querySelector('.error') || el.getAttribute('data-drawn') === 'error') B.failed++;
      const key = el.id || String(i);
      if (!(key in B.drawn) && (el.querySelector('svg.marks g.role-mark > *') ||
          (frame && [...el.querySelectorAll('canvas.marks')].some(inked)))) B.drawn[key] = performance.now();
      const imgs = [...el.querySelectorAll('.nev-static img')];
      imgs.forEach(m => m.hasAttribute('elementtiming') || m.setAttribute('elementtiming', key));
      const img = imgs.find(m => m.getClientRects().length);  // the one the page displays
      if (!img || key in B.ready || key in B.drawn) return;
      B.ready[key] = null;
      img.decode().then(() => requestAnimationFrame(() => { if (key in B.drawn || !img.naturalWidth) return;
        B.ready[key] = performance.now(); B.h0[key] = el.getBoundingClientRect().height; }), () => {});
    });
  }
  new MutationObserver(() => check(false)).observe(document, {childList: true, subtree: true});
  (function loop() { check(true); requestAnimationFrame(loop); })();
})();"""
SETTLED = "() => window.__bench && __bench.n > 0 && Object.keys(__bench.drawn).length + __bench.failed >= __bench.n"
# Read once every chart has settled and two more frames have gone (layout shifts are reported per frame).
RESULT = """async () => { await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise(r => setTimeout(r, 50)); const B = __bench, nav = performance.getEntriesByType('navigation')[0];
  return {n: B.n, drawn: B.drawn, ready: B.ready, painted: B.painted, h0: B.h0, shifts: B.shifts,
    h1: Object.fromEntries([...document.querySelectorAll('.nev-chart')].map(e => [e.id, e.getBoundingClientRect().height])),
    runs: document.querySelectorAll('script[src*="cdn.jsdelivr.net"]').length,
    own: [...document.querySelectorAll('.nev-chart[data-drawn-ms]')].map(e => +e.dataset.drawnMs),
    fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime, parsed: nav.domInteractive,
    ...(rs => ({blocking: rs.filter(e => e.renderBlockingStatus === 'blocking').length,
      blocking_end: Math.max(0, ...rs.filter(e => e.renderBlockingStatus === 'blocking').map(e => e.responseEnd)),
      figures_end: Math.max(0, ...rs.filter(e => e.name.includes('/_figures/')).map(e => e.responseEnd))}))(
      performance.getEntriesByType('resource'))}; }"""
# Without JavaScript: the charts whose displayed build-time drawing has loaded, at the load event.
NOJS = """() => { const els = [...document.querySelectorAll('.nev-chart, [id^="altair-viz-"]')];
  return {n: els.length, shown: els.filter(el => [...el.querySelectorAll('.nev-static img')].some(m =>
    m.getClientRects().length && m.complete && m.naturalWidth > 0)).length,
    load: performance.getEntriesByType('navigation')[0].loadEventStart}; }"""


def sh(cmd, **kw) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, **kw).stdout.strip()


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------
# Set-up: the CDN scripts Altair's default output asks for, and Lighthouse


def cdn_urls() -> dict[str, str]:
    """name -> URL, read from the HTML Altair's default renderer writes."""
    import altair as alt
    html = alt.renderers.get()({"mark": "point", "data": {"values": [{}]}})["text/html"]
    urls = re.findall(r'"(vega(?:-lite|-embed)?)": "(https://cdn\.jsdelivr\.net/npm/[^"]+)"', html)
    return dict(urls)


def npm_setup(urls: dict[str, str]) -> dict[str, Path]:
    """Install the exact versions the URLs name (idempotent); URL path -> local file."""
    specs = [re.search(r"/npm/([^?]+)", u).group(1) for u in urls.values()] + [LIGHTHOUSE]
    stamp = NPM / "bench-specs.txt"
    if not stamp.exists() or stamp.read_text() != " ".join(specs):
        log(f"npm install {' '.join(specs)}")
        NPM.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NPM), "--no-audit", "--no-fund",
                        "--loglevel=error", *specs], check=True)
        stamp.write_text(" ".join(specs))
    files = {}
    for name, url in urls.items():  # jsDelivr serves the package's "jsdelivr" file
        pkg_dir = NPM / "node_modules" / name
        pkg = json.loads((pkg_dir / "package.json").read_text())
        files[urlsplit(url).path] = (pkg_dir / (pkg.get("jsdelivr") or pkg.get("unpkg") or pkg["main"])).resolve()
    return files


# ---------------------------------------------------------------------------
# Builds


def fresh_copy(kind: str) -> Path:
    d = WORK / kind
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for name in ("_toc.yml", "book", "notebooks"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, d / name)
    (d / "data").symlink_to(ROOT / "data")  # download links point at ../data
    if kind == "book":
        shutil.copy(ROOT / "_config.yml", d)
    else:
        import yaml  # the `jupyter-book create` template's config, with three changes (see METHOD)
        for name in ("logo.png", "references.bib"):
            shutil.copy(TEMPLATE / name, d)
        cfg = yaml.safe_load((TEMPLATE / "_config.yml").read_text())
        cfg.update(title=yaml.safe_load((ROOT / "_config.yml").read_text())["title"], author="The editors")
        cfg["execute"]["execute_notebooks"] = "cache"  # the template says force (Jupyter Book's default: auto)
        cfg["sphinx"] = {"extra_extensions": ["nevbook.sphinxext"]}  # the prose's directives need it
        (d / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    return d


def env_for(kind: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NEVBOOK_PLAIN_ALTAIR", None)
    if kind == "default":
        env["NEVBOOK_PLAIN_ALTAIR"] = "1"  # the kernels inherit it
    return env


def cache_records(d: Path) -> int:
    from jupyter_cache import get_cache
    path = d / "_build" / ".jupyter_cache"
    return len(get_cache(path).list_cache_records()) if path.exists() else 0


def build(kind: str, step: str, repeat: int = 1) -> dict:
    """Best (shortest) of ``repeat`` runs: only a no-op build can repeat unchanged."""
    runs = [_build_once(kind, step) for _ in range(repeat)]
    return min(runs, key=lambda r: r["s"])


def _build_once(kind: str, step: str) -> dict:
    d = WORK / kind
    flags = ["-W", "-n", "--keep-going"] if kind == "book" else []  # as `make book`; the default has none
    before = cache_records(d)
    t = time.perf_counter()
    p = subprocess.run([str(VENV / "jupyter-book"), "build", ".", *flags], cwd=d, env=env_for(kind),
                       capture_output=True, text=True)
    secs = time.perf_counter() - t
    (d / f"build-{step}.log").write_text(p.stdout + p.stderr)
    if p.returncode:
        sys.exit(f"{kind} {step} build failed (see {d}/build-{step}.log):\n{(p.stdout + p.stderr)[-3000:]}")
    executed = re.findall(r"notebooks/([\w-]+)\.ipynb: Executed notebook in ([\d.]+) seconds", p.stdout + p.stderr)
    warnings = len(re.findall(r"WARNING: ", p.stdout + p.stderr))
    log(f"{kind:7} {step:5} build {secs:6.1f} s, {len(executed)} notebooks executed")
    return {"s": secs, "executed": [n for n, _ in executed], "exec_s": sum(float(s) for _, s in executed),
            "records": (before, cache_records(d)), "warnings": warnings}


def edit_notebook(kind: str) -> None:
    nb_path = WORK / kind / "notebooks" / f"{EDITED}.ipynb"
    nb = json.loads(nb_path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = src + "\n# bench: a code edit, so the execution cache sees a change"
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def nbval(kind: str) -> dict:
    d = WORK / kind
    t = time.perf_counter()
    p = subprocess.run([str(VENV / "python"), "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                        "notebooks"], cwd=d, env=env_for(kind), capture_output=True, text=True)
    secs = time.perf_counter() - t
    summary = (p.stdout.strip().splitlines() or ["?"])[-1].strip("= ")
    log(f"{kind:7} nbval {secs:6.1f} s ({summary})")
    return {"s": secs, "ok": p.returncode == 0, "summary": summary}


# ---------------------------------------------------------------------------
# Bytes


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def page_bytes(kind: str) -> dict:
    site = WORK / kind / "_build" / "html"
    out = {}
    for p in sorted((site / "notebooks").glob("*.html")):
        raw = p.read_bytes()
        text = raw.decode("utf-8")
        spec = sum(len(m) for m in re.findall(r'<script type="application/json".*?</script>|'
                                              r'<script type="text/javascript">\s*var VEGA_DEBUG.*?</script>', text, re.S))
        table = sum(len(m) for m in re.findall(r'<table class="nev-data".*?</table>', text, re.S))
        csv = sum(len(m) for m in re.findall(r'href="data:text/csv[^"]*"', text))
        charts = len(re.findall(r'<div class="nev-chart"|<div id="altair-viz-', text))
        out[p.stem] = {"raw": len(raw), "gz": gz(raw), "spec": spec, "table": table, "csv": csv, "charts": charts}
    everything = [p.read_bytes() for p in site.rglob("*.html")]
    return {"pages": out, "site_html_raw": sum(map(len, everything)), "site_html_gz": sum(map(gz, everything)),
            "site_files_raw": sum(p.stat().st_size for p in site.rglob("*") if p.is_file())}


def chart_js(kind: str, cdn: dict[str, Path]) -> dict:
    if kind == "book":
        site = WORK / kind / "_build" / "html"
        text = (site / "notebooks" / f"{EDITED}.html").read_text()
        srcs = re.findall(r'<script[^>]*src="\.\./(_static/(?:vendor/[^"?]+|nevcharts\.js))', text)
        files = [site / s for s in srcs]
    else:
        files = list(cdn.values())
    return {"files": [f.name for f in files], "raw": sum(f.stat().st_size for f in files),
            "gz": sum(gz(f.read_bytes()) for f in files)}


# ---------------------------------------------------------------------------
# Serving: the sites with gzip (as a static host would), and the CDN over TLS


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    cache: dict = {}

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.serve(body=False)

    def do_GET(self):
        self.serve(body=True)

    def serve(self, body: bool):
        f = self.server.resolve(unquote(urlsplit(self.path).path))
        if f is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
        data = f.read_bytes()
        self.send_response(200)
        if ("gzip" in self.headers.get("Accept-Encoding", "")
                and (ctype.startswith("text/") or ctype.endswith(("javascript", "json", "xml", "svg+xml")))):
            key = (str(f), f.stat().st_mtime)
            data = self.cache.get(key) or self.cache.setdefault(key, gzip.compress(data, 6))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


def serve(resolve, tls: Path | None = None) -> int:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.handle_error = lambda *a: None  # a browser closing mid-response is not news
    srv.resolve = resolve
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls / "cert.pem", tls / "key.pem")
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


def site_resolver(site: Path):
    def resolve(path: str):
        f = (site / path.lstrip("/")).resolve()
        f = f / "index.html" if f.is_dir() else f
        return f if f.is_file() and site.resolve() in f.parents else None
    return resolve


# ---------------------------------------------------------------------------
# In the browser


def cls(shifts: list[dict]) -> float:
    """Cumulative layout shift as Chromium defines it: the largest session
    window (shifts less than 1 s apart, at most 5 s long)."""
    best = cur = 0.0
    start = last = None
    for s in sorted(shifts, key=lambda s: s["t"]):
        if last is None or s["t"] - last > 1000 or s["t"] - start > 5000:
            cur, start = 0.0, s["t"]
        cur, last = cur + s["v"], s["t"]
        best = max(best, cur)
    return best


def load(pw, url: str, cdn: dict[str, Path] | None, viewport: dict = DESKTOP, js: bool = True) -> dict:
    """One fresh browser, one load. ``cdn`` answers cdn.jsdelivr.net from local
    files (zero latency); None blocks it. Without ``js``: the charts shown."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
    counts = {"cdn": 0, "blocked": 0}

    def route(r):
        u = urlsplit(r.request.url)
        if cdn is not None and u.hostname == "cdn.jsdelivr.net" and u.path in cdn:
            counts["cdn"] += 1
            r.fulfill(status=200, body=cdn[u.path].read_bytes(), content_type="application/javascript")
        else:
            counts["blocked"] += 1
            r.abort()

    try:
        ctx = browser.new_context(viewport=viewport, java_script_enabled=js)
        ctx.add_init_script(DETECT)
        page = ctx.new_page()
        page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), route)
        page.goto(url, wait_until="load")
        if not js:
            return page.evaluate(NOJS)
        try:
            page.wait_for_function(SETTLED, timeout=20_000, polling=50)
        except Exception:
            pass
        r = page.evaluate(RESULT)
    finally:
        browser.close()
    # A chart is visible from the first of: its live chart drawn; its build-time
    # drawing painted (Element Timing), or, where it was never painted (below the
    # fold), ready to paint (loaded, decoded, the next frame).
    vis, how = {}, {"live": 0, "painted": 0, "ready": 0}
    for k in set(r["drawn"]) | {k for k, v in r["ready"].items() if v is not None}:
        static = (r["painted"][k], "painted") if k in r["painted"] else (r["ready"].get(k), "ready")
        vis[k], kind = min([(r["drawn"].get(k), "live"), static], key=lambda x: 1e12 if x[0] is None else x[0])
        how[kind] += 1
    full = lambda t: max(t.values()) if t and len(t) == r["n"] else None  # noqa: E731 (the page's last chart)
    big = max(r["shifts"], key=lambda s: s["v"], default=None)
    return {"n": r["n"], "drawn": len(r["drawn"]), "ms": full(r["drawn"]), "visible_ms": full(vis), "how": how,
            "first_ms": min(r["drawn"].values(), default=None), "parsed_ms": r["parsed"], "fcp_ms": r["fcp"],
            "blocking": r["blocking"], "blocking_ms": r["blocking_end"] or None, "figures_ms": r["figures_end"] or None,
            "own_ms": max(r["own"]) if r["own"] else None, "cdn_scripts": r["runs"], **counts,
            "cls": cls(r["shifts"]), "shift": big and {**big, "v": round(big["v"], 5)},
            "takeover_px": max((abs(r["h1"][k] - h) for k, h in r["h0"].items() if k in r["h1"]), default=None)}


def draw_times(ports: dict, cdn: dict[str, Path], pages: list[str], loads: int) -> dict:
    """Per page and build: ``loads`` loads at 1280 px; one each offline, without
    JavaScript and at 375 px."""
    from playwright.sync_api import sync_playwright
    med = lambda rs, f: statistics.median(v) if (v := [r[f] for r in rs if r[f] is not None]) else None  # noqa: E731
    out = {k: {} for k in BUILDS}
    with sync_playwright() as pw:
        for page in pages:
            for kind in BUILDS:  # interleaved, so a busy moment hits both builds
                url = f"http://127.0.0.1:{ports[kind]}/notebooks/{page}.html"
                runs = [load(pw, url, cdn) for _ in range(loads)]
                offline, nojs, phone = load(pw, url, None), load(pw, url, cdn, js=False), load(pw, url, cdn, PHONE)
                worst = max(runs + [phone], key=lambda r: r["cls"])
                out[kind][page] = x = {
                    "n": runs[0]["n"], "ms": [r["ms"] for r in runs], "median": med(runs, "ms"),
                    "visible_median": med(runs, "visible_ms"), "complete": sum(r["ms"] is not None for r in runs),
                    "visible_complete": sum(r["visible_ms"] is not None for r in runs),
                    "how": {h: sum(r["how"][h] for r in runs) for h in runs[0]["how"]},
                    **{f"{f}_median": med(runs, f"{f}_ms") for f in ("parsed", "first", "fcp", "own", "blocking",
                                                                      "figures")},
                    "blocking": runs[0]["blocking"],
                    "cls": max(r["cls"] for r in runs), "cls_worst": worst["cls"], "shift": worst["shift"],
                    "cls_worst_at": "375 px" if worst is phone else "1280 px",
                    "takeover_px": max((r["takeover_px"] for r in runs + [phone] if r["takeover_px"] is not None),
                                       default=None),
                    "phone": {f: phone[f] for f in ("ms", "visible_ms", "cls", "takeover_px")},
                    "nojs": nojs, "cdn_requests": runs[0]["cdn"], "cdn_scripts": runs[0]["cdn_scripts"],
                    "offline_drawn": offline["drawn"]}
                log(f"{kind:7} {page:17} visible {ms(x['visible_median'])}, drawn {ms(x['median'])} median "
                    f"({x['complete']}/{loads} complete); 375 px {ms(phone['visible_ms'])}/{ms(phone['ms'])}; "
                    f"CLS {x['cls_worst']:.4f}; no JS {nojs['shown']}/{nojs['n']}; offline {offline['drawn']}/{offline['n']}")
    return out


def _med(d: dict, pages: list[str], f: str):
    return statistics.median(v) if (v := [d[p][f] for p in pages if d[p][f] is not None]) else None


def _visible_breakdown(d: dict, pages: list[str]) -> str:
    """Where this book's time to every chart visible goes, from the same loads (medians)."""
    m = lambda f: ms(_med(d, pages, f))  # noqa: E731
    how = {h: sum(d[p]["how"][h] for p in pages) for h in ("painted", "ready", "live")}
    return (f" Where the time goes (medians over these pages): the page is parsed at {m('parsed_median')}; its "
            f"render-blocking resources ({', '.join(str(d[p]['blocking']) for p in pages)} a page) have arrived by "
            f"{m('blocking_median')}; the first paint, before which no drawing can show, is at {m('fcp_median')}; "
            f"the build-time drawings' files have arrived by {m('figures_median')}; every chart is visible by "
            f"{m('visible_median')}. Of these pages' {sum(how.values())} chart loads, {how['painted']} were first "
            f"shown by the drawing painted, {how['ready']} by the drawing ready but not yet painted (further down) and "
            f"{how['live']} by the live chart.")


def _draw_breakdown(d: dict, pages: list[str]) -> str:
    """Where this book's draw time goes, from the same loads (medians)."""
    m = lambda f: ms(_med(d, pages, f))  # noqa: E731
    gaps = [(d[p]["median"] - d[p]["first_median"]) / max(d[p]["n"] - 1, 1)
            for p in pages if d[p]["median"] is not None and d[p]["first_median"] is not None]
    return (f" Where the time goes (medians over these pages): the page is parsed at {m('parsed_median')} and "
            f"first painted at {m('fcp_median')}; the first live chart is drawn at {m('first_median')} (Vega loaded "
            "and run, the chart parsed and rendered)" + (
                f"; each further chart adds about {statistics.median(gaps):.0f} ms, drawn one after another in "
                "separate tasks so that the page stays responsive" if gaps else "") +
            ". Until then the reader sees the build-time drawing, without tooltips.")


def lighthouse(url: str, cdn_port: int, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROME_ARGS, "--ignore-certificate-errors",
                      f'--host-resolver-rules="MAP cdn.jsdelivr.net 127.0.0.1:{cdn_port}"'])
    cmd = ["node", str(NPM / "node_modules" / "lighthouse" / "cli" / "index.js"), url, "--quiet",
           "--output=json", f"--output-path={out}", f"--chrome-flags={flags}",
           "--only-categories=performance,accessibility,best-practices"]
    p = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300)
    if p.returncode or not out.exists():
        return {"error": (p.stderr or p.stdout).strip()[-300:]}
    rep = json.loads(out.read_text())
    scores = {k: round(100 * (v["score"] or 0)) for k, v in rep["categories"].items()}
    failing = {}
    for cat in ("accessibility", "best-practices"):
        ids = [a["id"] for a in rep["categories"][cat]["auditRefs"] if a.get("weight", 0) > 0]
        failing[cat] = [i for i in ids if rep["audits"][i]["score"] is not None and rep["audits"][i]["score"] < 1]
    metrics = {m: rep["audits"][m]["displayValue"] for m in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    reqs = sorted(rep["audits"]["network-requests"]["details"]["items"], key=lambda r: -r.get("transferSize", 0))
    heaviest = [f"{urlsplit(r['url']).path.rsplit('/', 1)[-1]} {kb(r['transferSize'])}" for r in reqs[:3]]
    return {"scores": scores, "failing": failing, "metrics": metrics, "heaviest": heaviest,
            "version": rep["lighthouseVersion"]}


def tls_cert() -> Path | None:
    d = WORK / "tls"
    if not (d / "cert.pem").exists():
        d.mkdir(parents=True, exist_ok=True)
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                            "-subj", "/CN=cdn.jsdelivr.net", "-keyout", str(d / "key.pem"),
                            "-out", str(d / "cert.pem")], capture_output=True)
        if p.returncode:
            return None
    return d


# ---------------------------------------------------------------------------
# The report


def machine() -> dict:
    from importlib.metadata import version
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARK.md"], cwd=ROOT)
    return {"cores": os.cpu_count(), "cpu": cpu.group(1) if cpu else platform.machine(),
            "os": platform.platform(), "python": platform.python_version(),
            "chromium": sh([CHROMIUM, "--version"]), "node": sh(["node", "--version"]),
            "packages": ", ".join(f"{p} {version(p)}" for p in ("jupyter-book", "sphinx", "myst-nb", "altair",
                                                               "vl-convert-python", "nbval", "playwright")),
            "commit": sh(["git", "rev-parse", "HEAD"], cwd=ROOT) + (" (with uncommitted changes)" if dirty else "")}


def kb(n) -> str:
    return f"{n / 1000:.1f} KB"


def ms(v) -> str:
    return "n/a" if v is None else f"{v:.0f} ms"


def secs(v) -> str:
    return f"{v:.1f} s"


def ratio(a, b) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def verdict(value, limit, fmt, higher_is_better=False, strict=False) -> str:
    """'PASS 178.3 KB (21.7 KB under)'; limits are inclusive unless ``strict``."""
    if value is None:
        return "MISS (charts never all drawn)"
    ok = (value > limit if strict else value >= limit) if higher_is_better else \
        (value < limit if strict else value <= limit)
    side = ("above" if ok else "below") if higher_is_better else ("under" if ok else "over")
    return f"{'PASS' if ok else 'MISS'} {fmt(value)} ({fmt(abs(value - limit))} {side})"


def report(R: dict, quick: bool, loads: int) -> str:
    b, d, m, lh, js = R["builds"], R["draw"], R["machine"], R["lh"], R["js"]
    nbs = sorted(R["bytes"]["book"]["pages"])  # every chapter page (one a notebook)
    pages = R["pages"]  # those measured in the browser (all but with --quick or --pages)
    lpages = [p for p in pages if p in lh["book"]] if lh else []  # and with Lighthouse
    pg = {k: R["bytes"][k]["pages"] for k in BUILDS}
    per = lambda f, ps=None: {k: [f(k, p) for p in (ps or pages)] for k in BUILDS}  # noqa: E731 (build -> by page)
    over = lambda f, agg: {k: None if None in v else agg(v) for k, v in per(f).items()}  # noqa: E731
    worst, typical = (over(lambda k, p: d[k][p]["median"], a) for a in (max, statistics.median))
    worst_vis, typical_vis = (over(lambda k, p: d[k][p]["visible_median"], a) for a in (max, statistics.median))
    phone = {f: over(lambda k, p: d[k][p]["phone"][f], max) for f in ("visible_ms", "ms")}
    charts = sum(d["book"][p]["n"] for p in pages)
    nojs = {k: sum(d[k][p]["nojs"]["shown"] for p in pages) for k in BUILDS}
    worst_cls = {k: max(pages, key=lambda p: d[k][p]["cls_worst"]) for k in BUILDS}
    budget = lambda p: PAGE_GZIP_OWN.get(p, PAGE_GZIP)  # noqa: E731
    name = {"book": "this book", "default": "default"}
    L = ["# Benchmark: this book vs a default Jupyter Book + Altair build", "",
         "Generated by `scripts/bench.py`: every number below comes from one run of it, both builds measured side "
         "by side (interleaved) on the same machine. Regenerate with `.venv/bin/python scripts/bench.py` "
         "(`--quick`: one browser load on two pages, no Lighthouse, written under `_build/bench/`).", "",
         f"- Run: {R['date']}{' (partial: --quick or a subset)' if quick else ''}, {R['elapsed'] / 60:.0f} min; load average "
         f"{R['load'][0]:.1f} at the start, {R['load'][1]:.1f} at the end (other work shares the machine, so "
         "read the times as ratios)",
         f"- Commit: `{m['commit']}`",
         *([f"- Builds and nbval: reused from the run of {R['reused']} (`--reuse-builds`)"] if R.get("reused") else []),
         f"- In the browser: {len(pages)} of {len(nbs)} chapter pages, {loads} load{'s' if loads > 1 else ''} each "
         f"at 1280 px (medians), one each at 375 px, without JavaScript and offline; Lighthouse on "
         f"{len(lpages)} of {len(nbs)}" + (f" ({', '.join(f'`{p}`' for p in lpages)})" if 0 < len(lpages) < len(nbs)
                                           else "") + (f"; measured: {', '.join(f'`{p}`' for p in pages)}"
                                                       if len(pages) < len(nbs) else ""),
         f"- Machine: {m['cores']} cores ({m['cpu']}), {m['os']}",
         f"- Python {m['python']}; {m['chromium']}; Node {m['node']}; {m['packages']}", "",
         "**Ratio** = this book / default: below 1 means this book is smaller or faster.", "",
         "## Headline", "", "| metric | this book | default | ratio |", "|---|---:|---:|---:|"]

    def row(label, vals: dict, fmt, with_ratio=True):
        L.append(f"| {label} | {fmt(vals['book'])} | {fmt(vals['default'])} | "
                 f"{ratio(vals['book'], vals['default']) if with_ratio else ''} |")

    for step, label in (("cold", "Cold build (fresh build dir and cache)"), ("noop", "No-op rebuild (best of 3)"),
                        ("edit", f"Rebuild after editing `{EDITED}.ipynb`")):
        row(label, {k: b[k][step]["s"] for k in BUILDS}, secs)
    row("Notebooks re-executed by that rebuild", {k: len(b[k]["edit"]["executed"]) for k in BUILDS},
        lambda n: f"{n} of {len(nbs)}", False)
    row(f"nbval (`pytest --nbval-lax`, {len(nbs)} notebooks; best of {R['nbval_runs']})",
        {k: R["nbval"][k]["s"] for k in BUILDS}, secs)
    for label, f, agg in (("Chapter page HTML, median", "raw", statistics.median),
                          ("Chapter page gzip, median", "gz", statistics.median),
                          (f"Chapter pages gzip, total of {len(nbs)}", "gz", sum)):
        row(label, {k: agg(v) for k, v in per(lambda k, p: pg[k][p][f], nbs).items()}, kb)
    row("Chart JavaScript a chapter page loads, raw", {k: js[k]["raw"] for k in BUILDS}, kb)
    row("Chart JavaScript a chapter page loads, gzip", {k: js[k]["gz"] for k in BUILDS}, kb)
    row(f"Every chart visible, median over chapters (median of {loads} loads each)", typical_vis, ms)
    row("Every chart visible, slowest chapter", worst_vis, ms)
    row(f"Every chart drawn live (interactive), median over chapters (median of {loads} loads each)", typical, ms)
    row("Every chart drawn live (interactive), slowest chapter", worst, ms)
    row("At 375 px (one load a page): every chart visible, slowest chapter", phone["visible_ms"], ms)
    row("At 375 px (one load a page): every chart drawn live, slowest chapter", phone["ms"], ms)
    row("Charts visible without JavaScript", nojs, lambda n: f"{n} of {charts}", False)
    row("Load event without JavaScript, median over chapters",
        {k: statistics.median(d[k][p]["nojs"]["load"] for p in pages) for k in BUILDS}, ms)
    row("Cumulative layout shift, worst page and load (1280 and 375 px)",
        {k: d[k][worst_cls[k]]["cls_worst"] for k in BUILDS}, lambda v: f"{v:.4f}", False)
    row("Chart box height change when the live chart takes over, worst chart",
        {k: max((v for p in pages if (v := d[k][p]["takeover_px"]) is not None), default=None) for k in BUILDS},
        lambda v: "n/a (no drawing)" if v is None else f"{v:.1f} px", False)
    row("Charts drawn offline (no CDN)", {k: sum(d[k][p]["offline_drawn"] for p in pages) for k in BUILDS},
        lambda n: f"{n} of {charts}", False)
    cats = tuple(LH_MIN)
    scores = {c: per(lambda k, p: lh[k][p].get("scores", {}).get(c), lpages) for c in cats} if lpages else {}
    for c in scores:
        row(f"Lighthouse mobile {c}, median (worst page)", {k: [v for v in scores[c][k] if v is not None] for k in BUILDS},
            lambda v: f"{statistics.median(v):.0f} ({min(v)})" if v else "n/a", False)

    L += ["", "## Budgets", "", f"Issue 22's budgets, over every chapter page measured ({len(pages)} of {len(nbs)}). "
          "Limits are inclusive except where marked <.", "", "| budget | this book | default |", "|---|---|---|"]
    why: list[str] = []
    L.append(f"| Chart JS ≤ {kb(CHART_JS_GZIP)} gzip | "
             + " | ".join(verdict(js[k]["gz"], CHART_JS_GZIP, kb) for k in BUILDS) + " |")
    p0 = pages[0]
    if js["default"]["gz"] > CHART_JS_GZIP:
        why.append(f"Chart JS (default): {' + '.join(js['default']['files'])}, loaded from the CDN by Altair's HTML. "
                   f"Each chart adds its own script elements: on `{p0}`, {d['default'][p0]['cdn_scripts']} for "
                   f"{d['default'][p0]['n']} charts, fetched {d['default'][p0]['cdn_requests']} times (the browser "
                   "shares a download in flight) but each parsed and run.")
    L.append(f"| Every chart visible ≤ {VISIBLE_MS} ms from navigation start (slowest chapter's median of {loads}) | "
             + " | ".join(verdict(worst_vis[k], VISIBLE_MS, ms) for k in BUILDS) + " |")
    L.append(f"| Every chart interactive (live chart drawn) ≤ {DRAW_MS} ms from navigation start (slowest chapter's "
             f"median of {loads}) | " + " | ".join(verdict(worst[k], DRAW_MS, ms) for k in BUILDS) + " |")
    altair_why = (" Altair's output has no drawing to show first: a chart is visible only once drawn. Each chart "
                  "waits for vega, vega-lite and vega-embed, loaded one after another, then compiles Vega-Lite in "
                  "the browser and paints a canvas.")
    for k in BUILDS:
        said = False
        for f, label, limit, explain in (("visible_median", "Every chart visible", VISIBLE_MS, _visible_breakdown),
                                         ("median", "Every chart interactive", DRAW_MS, _draw_breakdown)):
            slow = [p for p in pages if (d[k][p][f] or 1e9) > limit]
            if not slow:
                continue
            worst_p = max(slow, key=lambda p: d[k][p][f] or 1e9)
            why.append(f"{label} ({name[k]}): over {limit} ms on {len(slow)} of {len(pages)} pages, worst "
                       f"`{worst_p}` {ms(d[k][worst_p][f])}"
                       + (f" ({ms(d[k][worst_p][f] - limit)} over)" if d[k][worst_p][f] is not None else "")
                       + ": " + ", ".join(f"`{p}` {ms(d[k][p][f])} ({d[k][p]['n']} charts)" for p in slow) + "."
                       + ((" The same cause." if said else altair_why) if k == "default" else explain(d[k], slow)))
            said = True
    L.append("| Every chart visible with JavaScript disabled | " + " | ".join(
        f"{'PASS' if nojs[k] == charts else 'MISS'} {nojs[k]} of {charts}" for k in BUILDS) + " |")
    for k in BUILDS:
        if nojs[k] < charts:
            short = [p for p in pages if d[k][p]["nojs"]["shown"] < d[k][p]["nojs"]["n"]]
            why.append(f"Without JavaScript ({name[k]}): {charts - nojs[k]} of {charts} charts missing, on "
                       f"{len(short)} of {len(pages)} pages" + (
                           ": Altair's output is an empty element and a script, so nothing shows." if k == "default"
                           else ": " + ", ".join(f"`{p}` {d[k][p]['nojs']['shown']} of {d[k][p]['nojs']['n']}"
                                                 for p in short) + "."))
    L.append(f"| Cumulative layout shift < {CLS_MAX} (worst page and load, 1280 and 375 px) | " + " | ".join(
        verdict(d[k][worst_cls[k]]["cls_worst"], CLS_MAX, lambda v: f"{v:.4f}", strict=True) + f" (`{worst_cls[k]}`)"
        for k in BUILDS) + " |")
    for k in BUILDS:
        high = [p for p in pages if d[k][p]["cls_worst"] >= CLS_MAX]
        if high:
            x = d[k][worst_cls[k]]
            why.append(f"Layout shift ({name[k]}): at or over {CLS_MAX} on {len(high)} of {len(pages)} pages; worst "
                       f"`{worst_cls[k]}` {x['cls_worst']:.4f} ({x['cls_worst'] - CLS_MAX:.4f} over) at "
                       f"{x['cls_worst_at']}, its largest shift {x['shift']['v']} at {x['shift']['t']:.0f} ms moved: "
                       f"{', '.join(sorted(set(x['shift']['src']))) or 'no element named'}"
                       + ("" if x["takeover_px"] is None else
                          f"; the largest change of a chart box's height at the live chart's takeover there: "
                          f"{x['takeover_px']:.1f} px") + ".")
    L.append(f"| Chapter page < {kb(PAGE_GZIP)} gzip (own budgets, from `nevbook.chapter`: "
             + ", ".join(f"{p} < {kb(v)}" for p, v in sorted(PAGE_GZIP_OWN.items())) + ") | " + " | ".join(
        f"{'MISS' if over_ else 'PASS'} {len(nbs) - len(over_)} of {len(nbs)} pages; closest: `{near}` "
        f"{kb(pg[k][near]['gz'])} of {kb(budget(near))}"
        for k in BUILDS for over_, near in [([p for p in nbs if pg[k][p]["gz"] >= budget(p)],
                                             max(nbs, key=lambda p: pg[k][p]["gz"] / budget(p)))]) + " |")
    for k in BUILDS:
        for p in [p for p in nbs if pg[k][p]["gz"] >= budget(p)]:
            x = pg[k][p]
            why.append(f"Page size ({name[k]}) `{p}`: {kb(x['gz'])} gzip, {kb(x['gz'] - budget(p))} over; of its "
                       f"{kb(x['raw'])} HTML, chart specs {kb(x['spec'])}, data tables {kb(x['table'])}, CSV links "
                       f"{kb(x['csv'])}.")
    L.append("| Cold build ≤ 1.5× notebook execution alone (sum of the build log's execution times) | " + " | ".join(
        f"{'PASS' if b[k]['cold']['s'] <= 1.5 * b[k]['cold']['exec_s'] else 'MISS'} {secs(b[k]['cold']['s'])} = "
        f"{b[k]['cold']['s'] / max(b[k]['cold']['exec_s'], 1e-9):.2f}× {secs(b[k]['cold']['exec_s'])}"
        for k in BUILDS) + " |")
    L.append("| No-op rebuild < 3 s | " + " | ".join(verdict(b[k]["noop"]["s"], 3.0, secs, strict=True)
                                                   for k in BUILDS) + " |")
    L.append("| Editing one notebook re-executes only it | " + " | ".join(
        f"{'PASS' if b[k]['edit']['executed'] == [EDITED] else 'MISS'} re-executed: "
        f"{', '.join(b[k]['edit']['executed']) or 'none'}" for k in BUILDS) + " |")
    for c, limit in LH_MIN.items() if scores else []:
        # One run per page: the worst page is the budget (every chapter page); the median is in the headline.
        vals = {k: [x for x in scores[c][k] if x is not None] for k in BUILDS}
        L.append(f"| Lighthouse mobile {c} ≥ {limit} on every chapter page (worst of {len(lpages)}) | " + " | ".join(
            (verdict(min(v), limit, lambda x: f"{x:.0f}", higher_is_better=True) + f" (`{lpages[scores[c][k].index(min(v))]}`)")
            if v else "not measured" for k, v in vals.items()) + " |")
        for k in BUILDS:
            low = [p for p, v in zip(lpages, scores[c][k]) if v is not None and v < limit]
            if low:
                p = min(low, key=lambda p: lh[k][p]["scores"][c])
                r = lh[k][p]
                detail = (", ".join(f"{n} {v}" for n, v in r["metrics"].items()) + "; heaviest transfers "
                          + ", ".join(r["heaviest"])) if c == "performance" else \
                    "failing audits " + ", ".join(f"`{a}`" for a in r["failing"][c])
                why.append(f"Lighthouse {c} ({name[k]}): below {limit} on {len(low)} of {len(lpages)} pages: "
                           + ", ".join(f"`{q}` {lh[k][q]['scores'][c]}" for q in low)
                           + f"; worst `{p}` {r['scores'][c]} ({limit - r['scores'][c]} below): {detail}.")
    for k in BUILDS:
        failed = [p for p in lpages if "scores" not in lh[k][p]]
        if failed:
            why.append(f"Lighthouse ({name[k]}) failed on " + ", ".join(f"`{p}`" for p in failed) + ": "
                       + lh[k][failed[0]]["error"])
    if not lpages:
        L.append("| Lighthouse | not run | not run |")
    L += (["", "Why the misses:", ""] + [f"- {w}" for w in why]) if why else ["", "No misses."]

    L += ["", "## Builds", "", "| step | this book | re-executed | cache records | default | re-executed | cache records |",
          "|---|---:|---|---|---:|---|---|"]
    for step in ("cold", "noop", "edit"):
        L.append(f"| {step} | " + " | ".join(
            f"{secs(x['s'])} | {len(x['executed'])}{' (' + ', '.join(x['executed']) + ')' if step == 'edit' else ''} "
            f"| {x['records'][0]} → {x['records'][1]}" for x in (b[k][step] for k in BUILDS)) + " |")
    L += ["", f"Notebook execution inside the cold build (build log): this book {secs(b['book']['cold']['exec_s'])}, "
          f"default {secs(b['default']['cold']['exec_s'])}. Build warnings: this book {b['book']['cold']['warnings']} "
          f"(built with `-W -n --keep-going`, as `make book`), default {b['default']['cold']['warnings']}. nbval: "
          f"this book {R['nbval']['book']['summary']}; default {R['nbval']['default']['summary']}."]
    L += ["", "## Chapter pages: bytes", "", "| page | charts | this book HTML | gzip | budget | default HTML | gzip "
          "| ratio (gzip) |", "|---|" + "---:|" * 7]
    for p in nbs:
        a, c = pg["book"][p], pg["default"][p]
        L.append(f"| {p} | {a['charts']} | {kb(a['raw'])} | {kb(a['gz'])} | {kb(budget(p))} | {kb(c['raw'])} | "
                 f"{kb(c['gz'])} | {ratio(a['gz'], c['gz'])} |")
    L += ["", "## Chapter pages: in the browser", "", f"Times in ms from navigation start; medians of {loads} "
          "load(s) at 1280 px unless marked. *Visible*: every chart shows a drawing (the build-time one or the live "
          "chart); *interactive*: every live chart drawn; *takeover*: the largest change of a chart box's height "
          "between its build-time drawing and its live chart. The default has no build-time drawing: its charts are "
          "visible when drawn.", "",
          "| page | charts | first paint | visible | interactive | own `data-drawn-ms` | 375 px: visible / "
          "interactive | no JS: charts shown, load event | CLS 1280 px (375 px) | takeover | default: visible = "
          "interactive | default: no JS | default: CLS 1280 px (375 px) | ratio (visible) | ratio (interactive) |",
          "|---|" + "---:|" * 14]
    for p in pages:
        x, y = d["book"][p], d["default"][p]
        tk = "n/a" if x["takeover_px"] is None else f"{x['takeover_px']:.0f} px"
        L.append(f"| {p} | {x['n']} | {ms(x['fcp_median'])} | {ms(x['visible_median'])} | {ms(x['median'])} | "
                 f"{ms(x['own_median'])} | {ms(x['phone']['visible_ms'])} / {ms(x['phone']['ms'])} | "
                 f"{x['nojs']['shown']} of {x['nojs']['n']}, {ms(x['nojs']['load'])} | {x['cls']:.4f} "
                 f"({x['phone']['cls']:.4f}) | {tk} | {ms(y['median'])} | {y['nojs']['shown']} of {y['nojs']['n']} | "
                 f"{y['cls']:.4f} ({y['phone']['cls']:.4f}) | {ratio(x['visible_median'], y['visible_median'])} | "
                 f"{ratio(x['median'], y['median'])} |")
    how = {h: sum(d["book"][p]["how"][h] for p in pages) for h in ("painted", "ready", "live")}
    L += ["", f"This book's charts, over its {sum(how.values())} chart loads at 1280 px, were first visible as: the "
          f"build-time drawing painted (Element Timing) {how['painted']}, the drawing loaded and decoded but not yet "
          f"painted (further down the page) {how['ready']}, the live chart {how['live']}."]
    site = {k: R["bytes"][k] for k in BUILDS}
    L += ["", "Times are medians of the loads in which every chart got there (visible, then drawn: this book " +
          ", ".join(f"{sum(d['book'][p][f] for p in pages)}" for f in ("visible_complete", "complete")) +
          "; default " + ", ".join(f"{sum(d['default'][p][f] for p in pages)}" for f in ("visible_complete", "complete"))
          + f"; of {loads * len(pages)} each). Every HTML page of the site: "
          f"this book {kb(site['book']['site_html_gz'])} gzip ({kb(site['book']['site_html_raw'])} raw), default "
          f"{kb(site['default']['site_html_gz'])} gzip ({kb(site['default']['site_html_raw'])} raw). All files of the "
          f"built site: this book {kb(site['book']['site_files_raw'])}, default {kb(site['default']['site_files_raw'])}."]
    if lpages:
        L += ["", "## Lighthouse (mobile; served from 127.0.0.1 with gzip)", "",
              "| page | this book: performance / accessibility / best practices | default |", "|---|---|---|"]
        cell = lambda r: " / ".join(str(r["scores"][c]) for c in cats) if "scores" in r else f"failed: {r['error']}"  # noqa: E731
        L += [f"| {p} | {cell(lh['book'][p])} | {cell(lh['default'][p])} |" for p in lpages]
        for k in BUILDS:
            for c in cats[1:]:
                hits = [a for p in lpages for a in lh[k][p].get("failing", {}).get(c, [])]
                L.append(f"\nFailing {c} audits, {name[k]}: " + (", ".join(
                    f"`{a}` ({hits.count(a)} of {len(lpages)} pages)" for a in sorted(set(hits))) or "none") + ".")
        v = next((lh["book"][p]["version"] for p in lpages if "version" in lh["book"][p]), "?")
        L.append(f"\nLighthouse {v} (it declares Node {R.get('lh_node', '?')}; here it ran on Node {m['node']}).")
    return "\n".join(L + ["", "## Method", ""] + [f"- {x}" for x in METHOD] + [""])


METHOD = [
    "Both builds are scratch copies under `_build/bench/` of `_toc.yml`, `book/` and `notebooks/` (with `data/` "
    "linked). **This book** uses the repository's `_config.yml`. **Default** uses the `jupyter-book create` "
    "template's `_config.yml` (its logo, bibtex file and repository buttons; Jupyter Book's default extensions, "
    "so sphinx-thebe and its script; default theme settings) with this book's title and author, `nevbook.sphinxext` as the only "
    "extra extension (the prose uses its directives, `{nev-quote}` and the rest: without it the pages do not build; "
    "it also adds `nevbook.css` and a favicon, and adds Vega only to pages that hold this book's charts, so none "
    "there), and `execute_notebooks: cache` (the template says `force`, Jupyter Book's default is `auto`; `cache` "
    "like this book makes the rebuild rows comparable).",
    "Default charts are Altair's own output: the build runs with `NEVBOOK_PLAIN_ALTAIR=1`, which the kernels inherit, "
    "and `nevbook.charts.Figure` then displays as Altair's default renderer does (vega-embed HTML loading vega, "
    "vega-lite and vega-embed from cdn.jsdelivr.net). The takeaway line, CSV link and data table of each figure are "
    "then absent, so the default pages carry less.",
    "Builds: wall time of `jupyter-book build .` (this book with `-W -n --keep-going`, as `make book`), steps "
    "interleaved between the builds. Cold: fresh copy, no `_build`, no jupyter cache. Edit: one line appended to the "
    f"first code cell of `{EDITED}.ipynb`. Re-executed notebooks are counted from the build log (\"Executed "
    "notebook\") and checked against the jupyter-cache record count.",
    "nbval: wall time of `pytest --nbval-lax -p no:cacheprovider notebooks` in each copy, with the same environment "
    "as its build. The no-op rebuild is the best of 3 runs and nbval the best of 2 (interleaved; `--quick`: 1), "
    "since both are short enough for other work on the machine to swamp them.",
    "Bytes: each built chapter page, raw and `gzip -9`. Chart JS: this book, the `_static/vendor` and `nevcharts.js` "
    "scripts a chapter page names; default, the files the CDN URLs in Altair's HTML resolve to (the package's "
    "`jsdelivr` file, installed with npm at the versions the URLs name), counted once although the page fetches and "
    "runs them once per script element (Altair adds one set per chart; see Budgets).",
    "In the browser: a fresh headless Chromium per load, pages served from 127.0.0.1 with gzip, 5 loads (`--loads`; "
    "1 with `--quick`) per chapter page and build at 1280×900, interleaved between the builds, then one load each "
    "at 375×812, without JavaScript, and offline (the CDN blocked too); a budget takes the slowest chapter's "
    "median. A script injected before the page runs records for every chart container "
    "(`.nev-chart` here, `altair-viz-*` in the default), in `performance.now()` ms since navigation start: "
    "**drawn**, the first moment it holds live marks, an SVG data mark (`svg.marks g.role-mark > *`, checked on "
    "every DOM mutation) or a painted pixel in `canvas.marks` (vega-embed's default canvas renderer; checked every "
    "animation frame, so up to one frame late); **visible**, the first of: drawn; its build-time drawing (the `<img>` "
    "of the `<picture>` the page displays, found by its client rects) painted, the `renderTime` of its Element Timing "
    "entry (the script sets `elementtiming` as the image enters the DOM; Chromium reports only what it paints: the "
    "first viewport and whatever it rasterises ahead of it); for a drawing it has not painted (further down, not "
    "painted until scrolled to), the next animation frame after `img.decode()` resolved (loaded and decoded, ready to paint). A page's time is its "
    "last chart's; *interactive* is every chart drawn. The default has no drawing, so its visible time is its draw "
    "time. Where the time goes (Why the misses) is read from the same loads: `domInteractive`, the first "
    "contentful paint, and Resource Timing (the last `renderBlockingStatus: blocking` response, the last "
    "`/_figures/` response). This book's own `data-drawn-ms` is shown beside as a check.",
    "Layout shift: every `layout-shift` entry (PerformanceObserver, buffered, so from the start of the load) until "
    "every chart is drawn and two more frames have passed, summed into session windows as Chromium's CLS is (shifts "
    "under 1 s apart, windows at most 5 s; the largest window counts); the largest single shift is named by the "
    "elements it moved. CLS only weighs what moves inside the viewport, so the script also compares each chart "
    "box's height when its drawing was ready with its height after the live chart took over (**takeover**), "
    "for every chart, above the fold or not. A page's CLS is its worst load's, over the 1280 and 375 px loads.",
    "Without JavaScript: a browser context with JavaScript off; at the load event, the charts whose displayed "
    "build-time `<img>` is complete with `naturalWidth > 0`, and the load event's time (`loadEventStart`).",
    "The CDN is answered at zero latency from the npm copies through Playwright routing (which also turns off the "
    "HTTP cache); every other host is blocked.",
    f"Lighthouse: `{LIGHTHOUSE}` from npm (`_build/bench/npm`), `CHROME_PATH={CHROMIUM}`, headless, "
    "default mobile settings, one run per chapter page and build (a budget takes the worst page), the site served with gzip from 127.0.0.1. For the "
    "default build's CDN, Chromium maps cdn.jsdelivr.net to a local TLS server holding the same npm files "
    "(`--host-resolver-rules`, self-signed certificate, `--ignore-certificate-errors`; the same flags for both builds).",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help=f"1 browser load on {', '.join(QUICK_PAGES)}, no Lighthouse, builds and nbval once")
    ap.add_argument("--loads", type=int, help="browser loads per page and build at 1280 px (default 5; --quick 1)")
    ap.add_argument("--pages", help="comma-separated chapter pages to measure in the browser (default all)")
    ap.add_argument("--lighthouse", help="comma-separated pages to run Lighthouse on, 'all' (of those measured; "
                                         "the default) or 'none' (the default with --quick)")
    ap.add_argument("--reuse-builds", action="store_true",
                    help="keep the builds and nbval figures of the last run (_build/bench/results.json): "
                         "the browser only, for trying the script out")
    ap.add_argument("--out", help="default: BENCHMARK.md for a full run, _build/bench/BENCHMARK-quick.md otherwise")
    args = ap.parse_args()
    loads = args.loads or (1 if args.quick else 5)
    t0, load0 = time.time(), os.getloadavg()[0]
    cdn = npm_setup(cdn_urls())
    R: dict = {"builds": {k: {} for k in BUILDS}, "nbval_runs": 1 if args.quick else 2}
    last = WORK / "results.json"
    if args.reuse_builds:
        if not last.exists() or not all((WORK / k / "_build" / "html").is_dir() for k in BUILDS):
            sys.exit(f"--reuse-builds: no earlier run ({last}, _build/bench/*/_build/html)")
        R.update({f: json.loads(last.read_text())[f] for f in ("builds", "nbval", "nbval_runs")})
        R["reused"] = json.loads(last.read_text()).get("date", "?")
    else:
        for kind in BUILDS:
            fresh_copy(kind)
        for step in ("cold", "noop", "edit"):
            for kind in BUILDS:
                if step == "edit":
                    edit_notebook(kind)
                R["builds"][kind][step] = build(kind, step, repeat=1 if args.quick or step != "noop" else 3)
        R["nbval"] = {k: [] for k in BUILDS}
        for _ in range(R["nbval_runs"]):  # best of 2, interleaved
            for kind in BUILDS:
                R["nbval"][kind].append(nbval(kind))
        R["nbval"] = {k: min(v, key=lambda r: r["s"]) for k, v in R["nbval"].items()}
    R["bytes"] = {k: page_bytes(k) for k in BUILDS}
    R["js"] = {k: chart_js(k, cdn) for k in BUILDS}
    nbs = sorted(R["bytes"]["book"]["pages"])
    pick = lambda v, dflt: dflt if v in (None, "all") else [] if v == "none" else v.split(",")  # noqa: E731
    R["pages"] = pages = pick(args.pages, list(QUICK_PAGES) if args.quick else nbs)
    lpages = pick(args.lighthouse, [] if args.quick else pages)
    for p in set(pages + lpages) - set(nbs) or set(lpages) - set(pages):
        sys.exit(f"{p}: not a chapter page measured (chapter pages: {', '.join(nbs)})")
    ports = {k: serve(site_resolver(WORK / k / "_build" / "html")) for k in BUILDS}
    R["draw"] = draw_times(ports, cdn, pages, loads)
    R["lh"] = None
    if lpages:
        tls = tls_cert()
        cdn_port = serve(cdn.get, tls) if tls else 9  # no openssl: the CDN stays unreachable
        R["lh"] = {k: {} for k in BUILDS}
        for page in lpages:
            for kind in BUILDS:
                url = f"http://127.0.0.1:{ports[kind]}/notebooks/{page}.html"
                R["lh"][kind][page] = r = lighthouse(url, cdn_port, WORK / f"lighthouse-{kind}-{page}.json")
                log(f"{kind:7} {page:17} lighthouse {r.get('scores') or r.get('error')}")
        R["lh_node"] = json.loads((NPM / "node_modules" / "lighthouse" / "package.json").read_text()).get(
            "engines", {}).get("node", "?")
    R.update(machine=machine(), date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
             elapsed=time.time() - t0, load=(load0, os.getloadavg()[0]))
    full = not (args.quick or args.reuse_builds or args.loads or args.pages or args.lighthouse)
    out = Path(args.out or (ROOT / "BENCHMARK.md" if full else WORK / "BENCHMARK-quick.md"))
    if not args.reuse_builds:
        last.write_text(json.dumps(R, indent=1, default=str))  # the raw numbers
    (WORK / "results-browser.json").write_text(json.dumps(R, indent=1, default=str))
    out.write_text(report(R, not full, loads))
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
