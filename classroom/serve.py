"""Serve a built site on 127.0.0.1, as the classroom's test and benchmark do, and open it in Chromium.

    python3 classroom/serve.py [DIR] [--port 8000]     (DIR is site/ unless given)

``python3 -m http.server -d site 8000`` serves it just as well; this one also names the types a
browser insists on (JavaScript modules, WebAssembly) whatever the system's MIME list says.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import pathlib
import threading

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless Chromium as the tests run it: no background connections (this machine's network is closed)."""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, quietly, with the types module scripts and WebAssembly need."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args: object) -> None:
        pass


def serve(folder: pathlib.Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1 (port 0: any free one) from a background thread; ``.shutdown()`` stops it."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="classroom/serve.py", description="Serve the built site on 127.0.0.1."
    )
    parser.add_argument(
        "folder", nargs="?", default=str(pathlib.Path(__file__).resolve().parent.parent / "site")
    )
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    server = serve(pathlib.Path(args.folder), args.port)
    print(f"serving {args.folder} at http://127.0.0.1:{server.server_port}/ (Ctrl+C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
