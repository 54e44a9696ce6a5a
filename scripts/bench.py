"""Benchmark this book against a default Jupyter Book + Altair build of the same
notebooks, measured side by side in one run, and write BENCHMARK.md.

    .venv/bin/python scripts/bench.py           # full run (about 15 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --quick   # 2 loads per page, no Lighthouse

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
LIGHTHOUSE = "lighthouse@13.5.0"
EDITED = "dual-credit"  # the notebook edited for the incremental rebuild
BUILDS = ("book", "default")
CHART_JS_GZIP, DRAW_MS, PAGE_GZIP = 200_000, 400, 40_000
PAGE_GZIP_OWN = {"synthesis": 60_000}  # the synthesis' own stated budget (tests/test_site.py)
TEMPLATE = VENV.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "jupyter_book" / "book_template"
# Injected into every page: when each chart container first holds drawn marks,
# in ms from navigation start. SVG: a data mark in svg.marks (checked on every
# DOM mutation); canvas: any painted pixel in canvas.marks (checked every frame).
DETECT = r"""(() => {
  const B = window.__bench = {n: 0, drawn: {}, failed: 0};
  const inked = c => { try { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]) return true; } catch (e) {} return false; };
  function check(frame) {
    const els = document.querySelectorAll('.nev-chart, [id^="altair-viz-"]');
    B.n = els.length; B.failed = 0;
    els.forEach((el, i) => {
      if (el.querySelector('.error') || el.getAttribute('data-drawn') === 'error') B.failed++;
      const key = el.id || String(i);
      if (key in B.drawn) return;
      if (el.querySelector('svg.marks g.role-mark > *') ||
          (frame && [...el.querySelectorAll('canvas.marks')].some(inked))) B.drawn[key] = performance.now();
    });
  }
  new MutationObserver(() => check(false)).observe(document, {childList: true, subtree: true});
  (function loop() { check(true); requestAnimationFrame(loop); })();
})();"""
SETTLED = "() => window.__bench && __bench.n > 0 && Object.keys(__bench.drawn).length + __bench.failed >= __bench.n"


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
    executed = re.findall(r"notebooks/(\w+)\.ipynb: Executed notebook in ([\d.]+) seconds", p.stdout + p.stderr)
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
        out[p.stem] = {"raw": len(raw), "gz": gz(raw), "spec": spec, "table": table, "csv": csv}
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


def load(pw, url: str, cdn: dict[str, Path] | None) -> dict:
    """One fresh browser: when each chart was drawn (ms from navigation start).
    ``cdn`` answers cdn.jsdelivr.net from local files (zero latency); None blocks it."""
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
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.add_init_script(DETECT)
        page = ctx.new_page()
        page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), route)
        page.goto(url, wait_until="load")
        try:
            page.wait_for_function(SETTLED, timeout=20_000, polling=50)
        except Exception:
            pass
        r = page.evaluate("""() => ({n: __bench.n, t: Object.values(__bench.drawn),
            runs: document.querySelectorAll('script[src*="cdn.jsdelivr.net"]').length,
            own: [...document.querySelectorAll('.nev-chart[data-drawn-ms]')].map(e => +e.dataset.drawnMs),
            parsed: performance.getEntriesByType('navigation')[0].domInteractive})""")
    finally:
        browser.close()
    return {"n": r["n"], "drawn": len(r["t"]), "ms": max(r["t"]) if r["t"] and len(r["t"]) == r["n"] else None,
            "first_ms": min(r["t"]) if r["t"] else None, "parsed_ms": r["parsed"],
            "own_ms": max(r["own"]) if r["own"] else None, "cdn_scripts": r["runs"], **counts}


def draw_times(ports: dict, cdn: dict[str, Path], pages: list[str], loads: int) -> dict:
    from playwright.sync_api import sync_playwright
    out = {k: {} for k in BUILDS}
    with sync_playwright() as pw:
        for page in pages:
            for kind in BUILDS:  # interleaved, so a busy moment hits both builds
                url = f"http://127.0.0.1:{ports[kind]}/notebooks/{page}.html"
                runs = [load(pw, url, cdn) for _ in range(loads)]
                offline = load(pw, url, None)
                ms = [r["ms"] for r in runs if r["ms"] is not None]
                own = [r["own_ms"] for r in runs if r["own_ms"] is not None]
                firsts = [r["first_ms"] for r in runs if r["first_ms"] is not None]
                out[kind][page] = {"n": runs[0]["n"], "ms": ms, "median": statistics.median(ms) if ms else None,
                                   "parsed_median": statistics.median(r["parsed_ms"] for r in runs),
                                   "first_median": statistics.median(firsts) if firsts else None,
                                   "own_median": statistics.median(own) if own else None,
                                   "complete": len(ms), "cdn_requests": runs[0]["cdn"],
                                   "cdn_scripts": runs[0]["cdn_scripts"],
                                   "offline_drawn": offline["drawn"]}
                log(f"{kind:7} {page:12} {out[kind][page]['median'] or float('nan'):7.0f} ms median, "
                    f"{len(ms)}/{loads} loads complete, offline {offline['drawn']}/{offline['n']}")
    return out


def _draw_breakdown(d: dict, pages: list[str]) -> str:
    """Where this book's draw time goes, from the same loads (medians)."""
    parsed = statistics.median(d[p]["parsed_median"] for p in pages)
    first = statistics.median(d[p]["first_median"] for p in pages if d[p]["first_median"] is not None)
    per = statistics.median((d[p]["median"] - d[p]["first_median"]) / max(d[p]["n"] - 1, 1)
                            for p in pages if d[p]["median"] is not None and d[p]["first_median"] is not None)
    return (f" Where the time goes (medians over these pages): a fresh Chromium has parsed the page at "
            f"{parsed:.0f} ms (the theme's render-blocking stylesheets come first); the first chart is drawn at "
            f"{first:.0f} ms (Vega loaded and run, the chart compiled and rendered); each further chart adds "
            f"about {per:.0f} ms, drawn one after another in separate tasks so that the page stays responsive "
            "(the Lighthouse total-blocking-time figure). Rendering charts to SVG at build time would move the "
            "first paint of every chart to the page's own, at the cost of page weight and of charts sized for "
            "one width; the book keeps them live and responsive.")


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


def verdict(value, limit, fmt, higher_is_better=False) -> str:
    """'PASS 178.3 KB (21.7 KB under)'; limits are inclusive."""
    if value is None:
        return "MISS (charts never all drawn)"
    ok = value >= limit if higher_is_better else value <= limit
    side = ("above" if ok else "below") if higher_is_better else ("under" if ok else "over")
    return f"{'PASS' if ok else 'MISS'} {fmt(value)} ({fmt(abs(value - limit))} {side})"


def report(R: dict, quick: bool, loads: int) -> str:
    b, d, m, lh, js = R["builds"], R["draw"], R["machine"], R["lh"], R["js"]
    pages = sorted(R["bytes"]["book"]["pages"])
    pg = {k: R["bytes"][k]["pages"] for k in BUILDS}
    per = lambda f: {k: [f(k, p) for p in pages] for k in BUILDS}  # noqa: E731 (build -> values by page)
    meds = per(lambda k, p: d[k][p]["median"])
    worst = {k: None if None in meds[k] else max(meds[k]) for k in BUILDS}
    typical = {k: None if None in meds[k] else statistics.median(meds[k]) for k in BUILDS}
    budget = lambda p: PAGE_GZIP_OWN.get(p, PAGE_GZIP)  # noqa: E731
    name = {"book": "this book", "default": "default"}
    L = ["# Benchmark: this book vs a default Jupyter Book + Altair build", "",
         "Generated by `scripts/bench.py`: every number below comes from one run of it, both builds measured side "
         "by side (interleaved) on the same machine. Regenerate with `.venv/bin/python scripts/bench.py` "
         "(`--quick`: fewer browser loads, no Lighthouse).", "",
         f"- Run: {R['date']}{' (--quick)' if quick else ''}, {R['elapsed'] / 60:.0f} min; load average "
         f"{R['load'][0]:.1f} at the start, {R['load'][1]:.1f} at the end (other work shares the machine, so "
         "read the times as ratios)",
         f"- Commit: `{m['commit']}`",
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
        lambda n: f"{n} of {len(pages)}", False)
    row(f"nbval (`pytest --nbval-lax`, {len(pages)} notebooks; best of 2)", {k: R["nbval"][k]["s"] for k in BUILDS}, secs)
    row("Chapter page HTML, median", {k: statistics.median(v) for k, v in per(lambda k, p: pg[k][p]["raw"]).items()}, kb)
    row("Chapter page gzip, median", {k: statistics.median(v) for k, v in per(lambda k, p: pg[k][p]["gz"]).items()}, kb)
    row(f"Chapter pages gzip, total of {len(pages)}", {k: sum(v) for k, v in per(lambda k, p: pg[k][p]["gz"]).items()}, kb)
    row("Chart JavaScript a chapter page loads, raw", {k: js[k]["raw"] for k in BUILDS}, kb)
    row("Chart JavaScript a chapter page loads, gzip", {k: js[k]["gz"] for k in BUILDS}, kb)
    row(f"Every chart drawn, median over chapters (median of {loads} loads each)", typical, ms)
    row("Every chart drawn, slowest chapter", worst, ms)
    charts = sum(d["book"][p]["n"] for p in pages)
    row("Charts drawn offline (no CDN)", {k: sum(d[k][p]["offline_drawn"] for p in pages) for k in BUILDS},
        lambda n: f"{n} of {charts}", False)
    cats = ("performance", "accessibility", "best-practices")
    scores = {c: per(lambda k, p: lh[k][p].get("scores", {}).get(c)) for c in cats} if lh else {}
    for c in scores:
        row(f"Lighthouse mobile {c}, median (worst page)", {k: [v for v in scores[c][k] if v is not None] for k in BUILDS},
            lambda v: f"{statistics.median(v):.0f} ({min(v)})" if v else "n/a", False)

    L += ["", "## Budgets", "", "| budget | this book | default |", "|---|---|---|"]
    why: list[str] = []
    L.append(f"| Chart JS ≤ {kb(CHART_JS_GZIP)} gzip | "
             + " | ".join(verdict(js[k]["gz"], CHART_JS_GZIP, kb) for k in BUILDS) + " |")
    p0 = pages[0]
    if js["default"]["gz"] > CHART_JS_GZIP:
        why.append(f"Chart JS (default): {' + '.join(js['default']['files'])}, loaded from the CDN by Altair's HTML. "
                   f"Each chart adds its own script elements: on `{p0}`, {d['default'][p0]['cdn_scripts']} for "
                   f"{d['default'][p0]['n']} charts, fetched {d['default'][p0]['cdn_requests']} times (the browser "
                   "shares a download in flight) but each parsed and run.")
    L.append(f"| Every chart drawn ≤ {DRAW_MS} ms from navigation start (slowest chapter's median) | "
             + " | ".join(verdict(worst[k], DRAW_MS, ms) for k in BUILDS) + " |")
    for k in BUILDS:
        slow = [p for p in pages if (d[k][p]["median"] or 1e9) > DRAW_MS]
        if slow:
            why.append(f"Draw time ({name[k]}): over {DRAW_MS} ms on {len(slow)} of {len(pages)} pages: " + ", ".join(
                f"`{p}` {ms(d[k][p]['median'])} ({d[k][p]['n']} charts)" for p in slow) + "." +
                (" Each chart waits for vega, vega-lite and vega-embed, loaded one after another, then compiles "
                 "Vega-Lite in the browser and paints a canvas." if k == "default" else
                 _draw_breakdown(d[k], slow)))
    L.append(f"| Chapter page < {kb(PAGE_GZIP)} gzip (synthesis < {kb(PAGE_GZIP_OWN['synthesis'])}) | " + " | ".join(
        f"{'MISS' if over else 'PASS'} {len(pages) - len(over)} of {len(pages)} pages; closest: `{near}` "
        f"{kb(pg[k][near]['gz'])} of {kb(budget(near))}"
        for k in BUILDS for over, near in [([p for p in pages if pg[k][p]["gz"] >= budget(p)],
                                            max(pages, key=lambda p: pg[k][p]["gz"] / budget(p)))]) + " |")
    for k in BUILDS:
        for p in [p for p in pages if pg[k][p]["gz"] >= budget(p)]:
            x = pg[k][p]
            why.append(f"Page size ({name[k]}) `{p}`: {kb(x['gz'])} gzip; of its {kb(x['raw'])} HTML, chart specs "
                       f"{kb(x['spec'])}, data tables {kb(x['table'])}, CSV links {kb(x['csv'])}.")
    L.append("| Cold build ≤ 1.5× notebook execution alone (sum of the build log's execution times) | " + " | ".join(
        f"{'PASS' if b[k]['cold']['s'] <= 1.5 * b[k]['cold']['exec_s'] else 'MISS'} {secs(b[k]['cold']['s'])} = "
        f"{b[k]['cold']['s'] / max(b[k]['cold']['exec_s'], 1e-9):.2f}× {secs(b[k]['cold']['exec_s'])}"
        for k in BUILDS) + " |")
    L.append("| No-op rebuild < 3 s | " + " | ".join(verdict(b[k]["noop"]["s"], 3.0, secs) for k in BUILDS) + " |")
    L.append("| Editing one notebook re-executes only it | " + " | ".join(
        f"{'PASS' if b[k]['edit']['executed'] == [EDITED] else 'MISS'} re-executed: "
        f"{', '.join(b[k]['edit']['executed']) or 'none'}" for k in BUILDS) + " |")
    for c, limit in zip(cats, (90, 100, 100)) if lh else []:
        # One run per page is noisy on a small machine: the median over the
        # chapter pages is the steadier figure; the worst page is shown too.
        L.append(f"| Lighthouse mobile {c} ≥ {limit} (median over chapter pages) | " + " | ".join(
            verdict(statistics.median(v), limit, lambda x: f"{x:.0f}", higher_is_better=True) if v else "not measured"
            for v in ([x for x in scores[c][k] if x is not None] for k in BUILDS)) + " |")
        L.append(f"| Lighthouse mobile {c} ≥ {limit} (worst page) | " + " | ".join(
            verdict(min(v), limit, lambda x: f"{x:.0f}", higher_is_better=True) if v else "not measured"
            for v in ([x for x in scores[c][k] if x is not None] for k in BUILDS)) + " |")
        for k in BUILDS:
            low = [p for p, v in zip(pages, scores[c][k]) if v is not None and v < limit]
            if low:
                p = min(low, key=lambda p: lh[k][p]["scores"][c])
                r = lh[k][p]
                detail = (", ".join(f"{n} {v}" for n, v in r["metrics"].items()) + "; heaviest transfers "
                          + ", ".join(r["heaviest"])) if c == "performance" else \
                    "failing audits " + ", ".join(f"`{a}`" for a in r["failing"][c])
                why.append(f"Lighthouse {c} ({name[k]}): below {limit} on {len(low)} of {len(pages)} pages; "
                           f"worst `{p}` {r['scores'][c]}: {detail}.")
    if not lh:
        L.append("| Lighthouse | not run (`--quick`) | not run (`--quick`) |")
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
    L += ["", "## Chapter pages", "", "| page | charts | this book HTML | gzip | default HTML | gzip | ratio (gzip) | all "
          "drawn, this book | default | ratio | this book's own `data-drawn-ms` |", "|---|" + "---:|" * 10]
    for p in pages:
        a, c, x, y = pg["book"][p], pg["default"][p], d["book"][p], d["default"][p]
        L.append(f"| {p} | {x['n']} | {kb(a['raw'])} | {kb(a['gz'])} | {kb(c['raw'])} | {kb(c['gz'])} | "
                 f"{ratio(a['gz'], c['gz'])} | {ms(x['median'])} | {ms(y['median'])} | "
                 f"{ratio(x['median'], y['median'])} | {ms(x['own_median'])} |")
    site = {k: R["bytes"][k] for k in BUILDS}
    L += ["", f"Draw times are medians of the loads that drew every chart (this book: "
          f"{sum(d['book'][p]['complete'] for p in pages)} of {loads * len(pages)}; default: "
          f"{sum(d['default'][p]['complete'] for p in pages)} of {loads * len(pages)}). Every HTML page of the site: "
          f"this book {kb(site['book']['site_html_gz'])} gzip ({kb(site['book']['site_html_raw'])} raw), default "
          f"{kb(site['default']['site_html_gz'])} gzip ({kb(site['default']['site_html_raw'])} raw). All files of the "
          f"built site: this book {kb(site['book']['site_files_raw'])}, default {kb(site['default']['site_files_raw'])}."]
    if lh:
        L += ["", "## Lighthouse (mobile; served from 127.0.0.1 with gzip)", "",
              "| page | this book: performance / accessibility / best practices | default |", "|---|---|---|"]
        cell = lambda r: " / ".join(str(r["scores"][c]) for c in cats) if "scores" in r else f"failed: {r['error']}"  # noqa: E731
        L += [f"| {p} | {cell(lh['book'][p])} | {cell(lh['default'][p])} |" for p in pages]
        for k in BUILDS:
            for c in cats[1:]:
                hits = [a for p in pages for a in lh[k][p].get("failing", {}).get(c, [])]
                L.append(f"\nFailing {c} audits, {name[k]}: " + (", ".join(
                    f"`{a}` ({hits.count(a)} of {len(pages)} pages)" for a in sorted(set(hits))) or "none") + ".")
        v = next((lh["book"][p]["version"] for p in pages if "version" in lh["book"][p]), "?")
        L.append(f"\nLighthouse {v} (it declares Node ≥ 22.19; here it ran on Node {m['node']}).")
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
    "Draw time: a fresh headless Chromium per load (viewport 1280×900), pages served from 127.0.0.1 with gzip, "
    "5 loads (2 with `--quick`) per chapter page and build. A script injected before the page runs records, for every "
    "chart container (`.nev-chart` here, `altair-viz-*` in the default), the first `performance.now()` (ms since "
    "navigation start) at which it holds drawn marks: an SVG data mark (`svg.marks g.role-mark > *`, checked on "
    "every DOM mutation) or a painted pixel in `canvas.marks` (vega-embed's default canvas renderer; checked every "
    "animation frame, so up to one frame late). The page's time is its last chart's; this book's own "
    "`data-drawn-ms` is shown beside as a check. The CDN is answered at zero latency from the npm copies through "
    "Playwright routing (which also turns off the HTTP cache); every other host is blocked. Offline: one more load "
    "per page with the CDN blocked too.",
    "Lighthouse: `lighthouse@13.5.0` from npm (`_build/bench/npm`), `CHROME_PATH=/usr/bin/chromium`, headless, "
    "default mobile settings, one run per chapter page and build, the site served with gzip from 127.0.0.1. For the "
    "default build's CDN, Chromium maps cdn.jsdelivr.net to a local TLS server holding the same npm files "
    "(`--host-resolver-rules`, self-signed certificate, `--ignore-certificate-errors`; the same flags for both builds).",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2 browser loads per page, no Lighthouse")
    ap.add_argument("--out", default=str(ROOT / "BENCHMARK.md"))
    args = ap.parse_args()
    loads = 2 if args.quick else 5
    t0, load0 = time.time(), os.getloadavg()[0]
    cdn = npm_setup(cdn_urls())
    R: dict = {"builds": {k: {} for k in BUILDS}}
    for kind in BUILDS:
        fresh_copy(kind)
    for step in ("cold", "noop", "edit"):
        for kind in BUILDS:
            if step == "edit":
                edit_notebook(kind)
            R["builds"][kind][step] = build(kind, step, repeat=1 if args.quick or step != "noop" else 3)
    R["nbval"] = {k: [] for k in BUILDS}
    for _ in range(1 if args.quick else 2):  # best of 2, interleaved
        for kind in BUILDS:
            R["nbval"][kind].append(nbval(kind))
    R["nbval"] = {k: min(v, key=lambda r: r["s"]) for k, v in R["nbval"].items()}
    R["bytes"] = {k: page_bytes(k) for k in BUILDS}
    R["js"] = {k: chart_js(k, cdn) for k in BUILDS}
    ports = {k: serve(site_resolver(WORK / k / "_build" / "html")) for k in BUILDS}
    pages = sorted(R["bytes"]["book"]["pages"])
    R["draw"] = draw_times(ports, cdn, pages, loads)
    R["lh"] = None
    if not args.quick:
        tls = tls_cert()
        cdn_port = serve(cdn.get, tls) if tls else 9  # no openssl: the CDN stays unreachable
        R["lh"] = {k: {} for k in BUILDS}
        for page in pages:
            for kind in BUILDS:
                url = f"http://127.0.0.1:{ports[kind]}/notebooks/{page}.html"
                R["lh"][kind][page] = r = lighthouse(url, cdn_port, WORK / f"lighthouse-{kind}-{page}.json")
                log(f"{kind:7} {page:12} lighthouse {r.get('scores') or r.get('error')}")
    R.update(machine=machine(), date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
             elapsed=time.time() - t0, load=(load0, os.getloadavg()[0]))
    (WORK / "results.json").write_text(json.dumps(R, indent=1, default=str))  # the raw numbers
    Path(args.out).write_text(report(R, args.quick, loads))
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
