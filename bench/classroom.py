"""The browser classroom's speed: the time from opening the playground to its first graph, and the
bytes a student downloads for it (as served, and gzipped as a compressing web server sends them).

Builds the site (classroom/build.py, what ./dev site runs), serves it on 127.0.0.1 and opens the
playground in headless Chromium with an empty cache, `--runs` times.  Target: first graph within 5 s.

Run:  ./dev bench (after the engine's benchmarks), or .venv/bin/python bench/classroom.py [--runs 5]
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "classroom"))
from build import sizes  # noqa: E402 - classroom/build.py and serve.py, after their folder is on the path
from serve import CHROMIUM_ARGS, serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="page openings, each with an empty cache"
    )
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(scratch) / "site"
        subprocess.run(
            [sys.executable, str(REPO / "classroom" / "build.py"), str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{serve(folder).server_port}/"
        seconds, fetched = [], set()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.on("request", lambda request: fetched.add(request.url))
                page.goto(url + "index.html")
                page.wait_for_selector(".outputs .picture svg", timeout=60_000)
                seconds.append(page.evaluate("window.firstPictureMs") / 1000)
                context.close()
            browser.close()
        outside = [
            u for u in fetched if urlsplit(u).scheme in ("http", "https") and not u.startswith(url)
        ]
        files = [urlsplit(u).path.lstrip("/") for u in fetched if u.startswith(url)]
        raw, packed = sizes(folder, files)
    print(
        f"classroom: first graph after {statistics.median(seconds):.2f} s (median of {runs}; "
        f"{min(seconds):.2f}-{max(seconds):.2f} s), target <= 5 s"
    )
    print(
        f"classroom: {len(files)} files, {raw / 1e6:.1f} MB downloaded ({packed / 1e6:.1f} MB gzipped); "
        f"requests to other hosts: {len(outside)}"
    )


if __name__ == "__main__":
    main()
