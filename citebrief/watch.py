"""`python build.py watch`: rebuild on every change and show the result in a browser.

Serves output/ on 127.0.0.1 with a page at / that reloads the briefing after each
rebuild and shows the problems when a build fails. File watching is watchfiles (a
maintained, native notify wrapper): no polling loop of our own.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import stat
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CitebriefError, ProblemsFound
from .facts.corpus import Project
from .pipeline import OUTPUT_DIR, build
from .report import format_problem

WATCHED = ("briefings", "sources", "templates")
PROBLEMS_SHOWN = 100
"""Problems the page (and the terminal) show after a failed build; the rest are counted.
The page polls every second: thousands of errors in it (one bad file of many facts) froze
the browser and flooded the terminal on every save."""


@dataclass
class Status:
    """What the page shows: the build count, the last error, the briefings."""

    builds: int = 0
    error: str = ""
    briefings: list[str] = field(default_factory=list)
    showing: str = ""
    """The briefing the page shows (it says so as it polls): rebuilt first."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps(
                {"builds": self.builds, "error": self.error, "briefings": self.briefings}
            ).encode()


def rebuild(project: Project, status: Status, say: Callable[[str], None]) -> None:
    """Rebuild what changed; the briefing on screen first, so the page reloads soonest."""

    with status.lock:
        showing = status.showing
    names = sorted(p.stem for p in project.briefing_files())
    report = None
    if showing in names and len(names) > 1:
        report = _rebuild_step(status, say, names, lambda: build(project, [showing]))
        if report is None:
            return
    _rebuild_step(status, say, names, lambda: build(project, report=report))


def _rebuild_step(
    status: Status, say: Callable[[str], None], names: list[str], run: Callable[[], Any]
) -> Any:
    """One build; the page learns of it. Returns its check report, or None if it failed."""

    report = None
    try:
        result = run()
        message, report = "", result.report
        say(f"built {len(result.built)}, up to date {len(result.skipped)}")
    except ProblemsFound as exc:
        shown = [format_problem(p, exc.texts) for p in exc.problems[:PROBLEMS_SHOWN]]
        more = len(exc.problems) - len(shown)
        if more > 0:
            shown.append(f"… and {more} more problems: `citebrief check` lists them all")
        message = "\n".join([*shown, exc.message])
        say(message)
    except CitebriefError as exc:
        message = f"error: {exc.message}"
        say(message)
    with status.lock:
        status.builds += 1
        status.error = message
        status.briefings = names if report is not None else status.briefings
    return report


class _Handler(http.server.SimpleHTTPRequestHandler):
    status: Status

    def host_allowed(self) -> bool:
        """Only requests addressed to 127.0.0.1 or localhost on our port (DNS rebinding).

        A page on another site can make a browser resolve its own host name to
        127.0.0.1; the request then still carries that host name, and is refused.
        """
        port = self.server.server_address[1]  # type: ignore[index]
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def do_HEAD(self) -> None:
        if not self.host_allowed():
            self.send_error(403, "Forbidden host")
            return
        super().do_HEAD()

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if not self.host_allowed():
            self.send_error(403, "Forbidden host")
        elif path == "/__citebrief/status":
            showing = urllib.parse.parse_qs(query).get("showing", [""])[0]
            with self.status.lock:
                self.status.showing = showing
            self._send(self.status.as_json(), "application/json")
        elif self.path in ("/", "/index.html"):
            self._send(_index_page().encode(), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def send_head(self) -> Any:
        """Only regular files under output/, reached without a link: no folder listings, no
        link out of output/ (to /etc/passwd or /), no device (/dev/zero)."""
        root = Path(self.directory)
        path = Path(self.translate_path(self.path))
        if not _servable(path, root):
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _servable(path: Path, root: Path) -> bool:
    try:
        relative = path.relative_to(root)
        real = path.resolve(strict=True)
        info = os.stat(real)
    except (ValueError, OSError):
        return False
    return real == root.resolve() / relative and stat.S_ISREG(info.st_mode)


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
    """The listen backlog: the default of 5 dropped 14 of 200 simultaneous requests."""


def serve(out_dir: Path, status: Status, port: int) -> http.server.ThreadingHTTPServer:
    out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"status": status})
    server = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(out_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(
    project: Project, port: int, say: Callable[[str], None], stop: threading.Event | None = None
) -> None:
    import watchfiles

    status = Status()
    server = serve(project.root / OUTPUT_DIR, status, port)
    say(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    rebuild(project, status, say)
    paths = [project.root / name for name in WATCHED if (project.root / name).exists()]
    try:
        for changes in watchfiles.watch(
            *paths, stop_event=stop, debounce=300, raise_interrupt=False
        ):
            changed = sorted({Path(p).relative_to(project.root).as_posix() for _, p in changes})
            say("changed: " + ", ".join(changed[:5]) + (" …" if len(changed) > 5 else ""))
            rebuild(project, status, say)
    finally:
        server.shutdown()
        server.server_close()


def _index_page() -> str:
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>citebrief watch</title>
<style>
body { margin: 0; font-family: sans-serif; display: flex; flex-direction: column; height: 100vh; }
header { padding: .5rem 1rem; background: #1f3a5f; color: #fff; display: flex; gap: 1rem; align-items: center; }
header a { color: #fff; margin-right: .75rem; }
#error { display: none; white-space: pre-wrap; background: #fff0f0; color: #7a1c1c; padding: 1rem; margin: 0;
         border-bottom: 2px solid #7a1c1c; max-height: 40vh; overflow: auto; font-family: monospace; }
iframe { flex: 1; border: 0; width: 100%; }
</style></head><body>
<header><strong>citebrief watch</strong><span id="list"></span><span id="state">connecting…</span></header>
<pre id="error" role="alert"></pre>
<iframe id="view" title="Briefing"></iframe>
<script>
let seen = -1, current = decodeURIComponent(location.hash.slice(1));
async function poll() {
  try {
    const s = await (await fetch('/__citebrief/status?showing=' + encodeURIComponent(current), {cache: 'no-store'})).json();
    const err = document.getElementById('error');
    err.style.display = s.error ? 'block' : 'none';
    err.textContent = s.error;
    document.getElementById('state').textContent = s.error ? 'build failed' : 'build ' + s.builds + ' ok';
    document.getElementById('list').replaceChildren(...s.briefings.map(link));
    if (!current && s.briefings.length) current = s.briefings[0];
    if (s.builds !== seen) { seen = s.builds; show(current); }
  } catch (e) { document.getElementById('state').textContent = 'disconnected'; }
}
function link(name) {  // text set as text, never parsed as markup
  const a = document.createElement('a');
  a.href = '#' + encodeURIComponent(name);
  a.textContent = name;
  a.addEventListener('click', () => show(name));
  return a;
}
function show(name) {
  current = name;
  if (name) document.getElementById('view').src = encodeURIComponent(name) + '.html?b=' + seen;
}
setInterval(poll, 1000); poll();
</script></body></html>
"""
