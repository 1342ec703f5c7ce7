"""The browser classroom's speed: the time from opening the playground to its first graph, and the
bytes a student downloads for it (as served, and gzipped as a compressing web server sends them).

Builds the site (classroom/build.py, what ./dev site runs), serves it on 127.0.0.1 and opens the
playground in headless Chromium with an empty cache, `--runs` times.  Target: first graph within 5 s.

Run:  ./dev bench (after the engine's benchmarks), or .venv/bin/python bench/classroom.py [--runs 5]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

REPO = pathlib.Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def serve(folder: pathlib.Path) -> str:
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                          ".wasm": "application/wasm"}

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="page openings, each with an empty cache")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(scratch) / "site"
        subprocess.run([sys.executable, str(REPO / "classroom" / "build.py"), str(folder)], check=True,
                       stdout=subprocess.DEVNULL)
        url = serve(folder)
        seconds, fetched = [], set()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.on("request", lambda request: fetched.add(request.url))
                page.goto(url + "index.html")
                page.wait_for_selector(".outputs .picture svg", timeout=60_000)
                seconds.append(page.evaluate("window.firstPictureMs") / 1000)
                context.close()
            browser.close()
        outside = [u for u in fetched if urlsplit(u).scheme in ("http", "https") and not u.startswith(url)]
        files = [folder / urlsplit(u).path.lstrip("/") for u in fetched if u.startswith(url)]
        raw = sum(f.stat().st_size for f in files)
        packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    print(f"classroom: first graph after {statistics.median(seconds):.2f} s (median of {runs}; "
          f"{min(seconds):.2f}-{max(seconds):.2f} s), target <= 5 s")
    print(f"classroom: {len(files)} files, {raw / 1e6:.1f} MB downloaded ({packed / 1e6:.1f} MB gzipped); "
          f"requests to other hosts: {len(outside)}")


if __name__ == "__main__":
    main()
