"""`python build.py watch`: rebuild on every change and show the result in a browser.

Serves output/ on 127.0.0.1 with a page at / that reloads the briefing after each
rebuild and shows the problems when a build fails. File watching is watchfiles (a
maintained, native notify wrapper): no polling loop of our own.
"""

from __future__ import annotations

import errno
import json
import logging
import mimetypes
import os
import socket
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .common.counts import counted
from .common.write import confined_file, make_real_folder
from .errors import CitebriefError, ProblemsFound
from .facts.corpus import Project
from .pipeline import OUTPUT_DIR, build
from .report import PLAIN, Shown, as_run, format_problem

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
    shown: Shown = PLAIN
    """How problems and hints name the command: as the user ran `watch`."""

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
        shown = [format_problem(p, exc.texts, status.shown) for p in exc.problems[:PROBLEMS_SHOWN]]
        more = len(exc.problems) - len(shown)
        if more > 0:
            rest = f"… and {counted(more, 'more problem')}: `citebrief check` lists them all"
            shown.append(as_run(rest, status.shown))
        message = "\n".join([*shown, exc.message])
        say(message)
    except CitebriefError as exc:
        message = f"error: {exc.message}"
        if exc.hint:
            message += f"\n  hint: {as_run(exc.hint, status.shown)}"
        say(message)
    with status.lock:
        status.builds += 1
        status.error = message
        status.briefings = names if report is not None else status.briefings
    return report


class _App:
    """The WSGI application: the reloading page, its status, and the files of output/."""

    def __init__(self, out_dir: Path, project: Path, status: Status) -> None:
        self.out_dir, self.project, self.status = out_dir, project, status
        self.port = 0

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        body: bytes | BinaryIO
        if method not in ("GET", "HEAD"):
            status, body, kind = "405 Method Not Allowed", b"Method not allowed\n", "text/plain"
        elif not self.host_allowed(environ.get("HTTP_HOST", "")):
            status, body, kind = "403 Forbidden", b"Forbidden host\n", "text/plain"
        elif path == "/__citebrief/status":
            showing = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("showing", [""])
            with self.status.lock:
                self.status.showing = showing[0]
            status, body, kind = "200 OK", self.status.as_json(), "application/json"
        elif path in ("/", "/index.html"):
            status, body, kind = "200 OK", _index_page().encode(), "text/html; charset=utf-8"
        else:
            status, body, kind = self.file(path)
        size = len(body) if isinstance(body, bytes) else os.fstat(body.fileno()).st_size
        start_response(
            status,
            [
                ("Content-Type", kind),
                ("Content-Length", str(size)),
                ("Cache-Control", "no-store"),
            ],
        )
        if isinstance(body, bytes):
            return [b""] if method == "HEAD" else [body]
        if method == "HEAD":
            body.close()
            return [b""]
        return environ["wsgi.file_wrapper"](body, 1 << 16)  # sent from the file, not memory

    def host_allowed(self, host: str) -> bool:
        """Only requests addressed to 127.0.0.1 or localhost on our port (DNS rebinding).

        A page on another site can make a browser resolve its own host name to
        127.0.0.1; the request then still carries that host name, and is refused.
        """
        return host.strip().lower() in {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def file(self, path: str) -> tuple[str, bytes | BinaryIO, str]:
        """Only regular files under output/, reached without a link from the project down
        (output/ itself may not be one): no folder listings, no link out of output/ (to
        /etc/passwd or /), no device (/dev/zero)."""
        not_found = "404 Not Found", b"Not found\n", "text/plain"
        try:  # WSGI hands the decoded path over as Latin-1 characters
            parts = path.encode("latin-1").decode("utf-8").split("/")[1:]
        except UnicodeError:
            return not_found
        if not parts or any(p in ("", ".", "..") or "\0" in p for p in parts):
            return not_found
        target = self.out_dir.joinpath(*parts)
        if not confined_file(target, self.project):
            return not_found
        try:
            fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return not_found
        handle = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since it was looked at
            handle.close()
            return not_found
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return "200 OK", handle, kind + ("; charset=utf-8" if kind.startswith("text/") else "")


WORKERS = 4
"""Threads answering requests; connections wait in waitress's event loop, not in a thread
each (about 30 idle half-open connections exhausted the thread-per-connection server)."""
IDLE_SECONDS = 15
"""A connection that sends nothing for this long is closed (a client that opens and waits,
or sends half a request): looked for every IDLE_SECONDS, so it goes within twice that."""


REQUEST_SECONDS = 30
"""A request must arrive whole within this long of its first byte: a client that sends a byte
every few seconds is never idle, and 512 of them held every connection (closed by this rule
within REQUEST_SECONDS + IDLE_SECONDS)."""


def _channel_class() -> type:
    """waitress's connection, noting when the request it is reading began, and closed after
    each answer."""
    import waitress.channel

    class Channel(waitress.channel.HTTPChannel):  # type: ignore[misc]
        request_began = 0.0

        def received(self, data: bytes) -> bool:
            if self.request is None:
                self.request_began = time.time()
            done = bool(super().received(data))
            # One answer per connection, as if each request said "Connection: close": a
            # client that asked for a large file many times over one connection and read
            # nothing held a worker until all were stuck; what it queued is dropped.
            for request in self.requests:
                request.headers["CONNECTION"] = "close"
            return done

    return Channel


class WatchServer:
    """waitress (Pylons' pure-Python WSGI server) on 127.0.0.1 in a background thread: a
    bounded pool of worker threads, an event loop holding the connections, a timeout for
    idle ones, and no traceback when a client goes away."""

    def __init__(
        self,
        app: _App,
        port: int,
        idle_seconds: int = IDLE_SECONDS,
        request_seconds: int = REQUEST_SECONDS,
    ) -> None:
        import waitress.server

        if not 0 <= port <= 65535:  # waitress took 99999 as 34463, and -1 as an internal error
            raise CitebriefError(
                f"--port {port} is not a port number",
                "give one from 1024 to 65535 (0 picks a free one)",
            )
        # Its notices (a busy queue, a client gone) are not the user's business.
        logging.getLogger("waitress").setLevel(logging.ERROR)
        try:
            _probe(port)  # waitress leaves its socket open when the port is refused
            self.server = self._create(waitress.server, app, port, idle_seconds)
        except OSError as exc:
            raise _port_refused(port, exc) from None
        self._limit_requests(request_seconds)
        self.port = app.port = int(self.server.effective_port)  # type: ignore[union-attr]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _create(waitress_server: Any, app: _App, port: int, idle_seconds: int) -> Any:
        return waitress_server.create_server(
            app,
            host="127.0.0.1",
            port=port,
            threads=WORKERS,
            channel_timeout=idle_seconds,
            cleanup_interval=idle_seconds,  # waitress's default, 30 s, kept idle ones 45 s
            connection_limit=512,
            backlog=512,
            ident="citebrief",
            expose_tracebacks=False,
            # Only GET and HEAD are answered, and neither carries a body: a client that sends
            # one (a GET with a 900 MB body was written to a temporary file in /tmp, a
            # connection at a time, until the disk filled) is refused before it is stored.
            max_request_body_size=0,
            # Answers stay in memory (they are read into memory anyway): a temporary file
            # per large answer outlived a client that reset the connection mid-answer.
            outbuf_overflow=256 * 1024 * 1024,
        )

    def _limit_requests(self, request_seconds: int) -> None:
        """Close a connection whose request is not whole ``request_seconds`` after it began,
        at waitress's own rounds of closing idle ones."""
        server: Any = self.server
        server.channel_class = _channel_class()
        idle_only = server.maintenance

        def maintenance(now: float) -> None:  # the idle rule, and the slow-request rule
            idle_only(now)
            for channel in server.active_channels.values():
                reading = channel.request is not None and not channel.requests
                if reading and now - channel.request_began > request_seconds:
                    channel.will_close = True

        server.maintenance = maintenance

    def _run(self) -> None:
        """waitress's event loop, a turn at a time until told to stop; the connections are
        closed here, in the loop's own thread, never under its feet."""
        server: Any = self.server
        while not self.stopping.is_set():
            server.asyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)
        for channel in list(server._map.values()):
            if hasattr(channel, "outbufs"):  # a connection: its answer's file is closed too
                channel.handle_close()
            else:  # the listening socket, the loop's trigger
                channel.close()
        server.task_dispatcher.shutdown()

    def close(self) -> None:
        """Stop serving: close every connection and the worker threads."""
        self.stopping.set()
        self.thread.join(timeout=10)


def _probe(port: int) -> None:
    """Bind the port as waitress will (with SO_REUSEADDR) and let it go: OSError if it cannot."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def _port_refused(port: int, exc: OSError) -> CitebriefError:
    """The port could not be listened on, in words (it was an internal error)."""
    if exc.errno == errno.EADDRINUSE:
        return CitebriefError(
            f"port {port} is already in use (by another `watch`, or another program)",
            "stop it, or choose another port with --port N (0 picks a free one)",
        )
    if exc.errno == errno.EACCES:
        return CitebriefError(
            f"port {port} may be used only by the system administrator",
            "choose a port from 1024 to 65535 with --port N",
        )
    return CitebriefError(f"port {port} could not be listened on: {exc.strerror}")


def serve(
    out_dir: Path,
    status: Status,
    port: int,
    project: Path | None = None,
    idle_seconds: int = IDLE_SECONDS,
    request_seconds: int = REQUEST_SECONDS,
) -> WatchServer:
    """Serve ``out_dir`` (a real folder of ``project``, by default the folder holding it)."""
    project = project if project is not None else out_dir.parent
    make_real_folder(out_dir, within=project)
    return WatchServer(_App(out_dir, project, status), port, idle_seconds, request_seconds)


def watch(
    project: Project,
    port: int,
    say: Callable[[str], None],
    stop: threading.Event | None = None,
    shown: Shown = PLAIN,
) -> None:
    import watchfiles

    status = Status(shown=shown)
    server = serve(project.root / OUTPUT_DIR, status, port, project.root)
    say(f"serving http://127.0.0.1:{server.port}/ (Ctrl-C to stop)")
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
        server.close()


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
