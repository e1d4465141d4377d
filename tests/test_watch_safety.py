"""The watch server answers only this machine's own pages, shows names as text, and keeps up."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from citebrief.errors import CitebriefError, ProblemsFound
from citebrief.watch import WORKERS, Status, serve

MARKUP_NAME = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "memo.html").write_text("<!DOCTYPE html><title>memo</title><p>memo</p>")
    status = Status(builds=1, briefings=["memo", MARKUP_NAME])
    httpd = serve(tmp_path / "out", status, 0)
    yield httpd
    httpd.close()


def _get(port: int, path: str, host: str, timeout: float = 10) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/", "/__citebrief/status", "/memo.html"])
def test_a_request_for_another_host_name_is_refused(server, path: str) -> None:
    """DNS rebinding: a hostile page whose name resolves to 127.0.0.1 still sends its own name."""
    port = server.port
    assert _get(port, path, f"127.0.0.1:{port}") == 200
    assert _get(port, path, f"localhost:{port}") == 200
    assert _get(port, path, f"attacker.example:{port}") == 403
    assert _get(port, path, "attacker.example") == 403
    assert _get(port, path, "") == 403


def test_two_hundred_simultaneous_requests_are_all_answered(server) -> None:
    port = server.port
    start = threading.Barrier(200)
    results: list[int | str] = []

    def one() -> None:
        start.wait()
        try:
            results.append(_get(port, "/__citebrief/status", f"127.0.0.1:{port}", timeout=20))
        except OSError as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 200


def test_briefing_names_are_shown_as_text_never_as_markup(server, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    port = server.port
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert ">memo</a>" in dom  # the page ran its script and listed the briefings
    assert "&lt;img src=x onerror=" in dom
    assert "data-pwned" not in dom.split("<header>", 1)[0] + dom.split("</header>", 1)[-1]
    assert 'data-pwned="1"' not in dom


def test_only_regular_files_under_output_are_served_never_through_a_link(
    server, tmp_path: Path
) -> None:
    """A link in output/ to /etc/passwd or to / serves nothing, a device is not read, and
    no folder is listed."""
    out = tmp_path / "out"
    (out / "leak.txt").symlink_to("/etc/passwd")
    (out / "root").symlink_to("/")
    (out / "fonts").mkdir()
    (out / "fonts" / "Lato-Regular.ttf").write_bytes(b"font")
    if Path("/dev/zero").exists():
        (out / "zero").symlink_to("/dev/zero")
    port = server.port
    host = f"127.0.0.1:{port}"
    assert _get(port, "/memo.html", host) == 200
    assert _get(port, "/fonts/Lato-Regular.ttf", host) == 200
    for path in (
        "/leak.txt",
        "/root/etc/passwd",
        "/root/",
        "/fonts/",
        "/zero",
        "/../out/memo.html",
    ):
        assert _get(port, path, host) == 404, path


@pytest.mark.parametrize("target", ["/etc", "/", "../elsewhere"])
def test_an_output_folder_that_is_a_link_is_refused_before_serving(
    tmp_path: Path, target: str
) -> None:
    """A cloned repository can commit `output -> /etc`: watch names it, as the build does,
    and serves nothing (it served /passwd when it trusted output/'s resolved path)."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text("secret")
    project = tmp_path / "project"
    project.mkdir()
    (project / "output").symlink_to(target)
    with pytest.raises(ProblemsFound) as raised:
        serve(project / "output", Status(), 0, project)
    problem = raised.value.problems[0]
    assert str(problem.location) == "project/output:1:1"
    assert "symbolic link" in problem.message


def test_a_file_reached_through_a_linked_folder_above_it_is_not_served(
    server, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.html").write_text("secret")
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    port = server.port
    assert _get(port, "/sub/secret.html", f"127.0.0.1:{port}") == 404


def test_idle_half_open_connections_do_not_stop_it_serving(server) -> None:
    """Sixty clients that connect and send half a request (or nothing) hold no worker: a
    real request is still answered at once."""
    port = server.port
    threads = threading.active_count()
    idle = []
    for n in range(60):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 2:
            sock.sendall(b"GET /memo.html HTTP/1.1\r\nHost: 127.0.0.1")
        idle.append(sock)
    try:
        assert _get(port, "/memo.html", f"127.0.0.1:{port}", timeout=5) == 200
        assert _get(port, "/__citebrief/status", f"127.0.0.1:{port}", timeout=5) == 200
        assert threading.active_count() <= threads + WORKERS  # no thread per connection
    finally:
        for sock in idle:
            sock.close()


def test_a_client_that_goes_away_prints_no_traceback(server, tmp_path: Path, capfd) -> None:
    (tmp_path / "out" / "big.pdf").write_bytes(b"%PDF-" + b"0" * 8_000_000)
    port = server.port
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(f"GET /big.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.recv(100)
        sock.close()  # a reset in the middle of the answer
    assert _get(port, "/memo.html", f"127.0.0.1:{port}") == 200
    printed = capfd.readouterr()
    assert "Traceback" not in printed.out + printed.err


def test_a_half_open_client_is_dropped_after_the_idle_timeout_while_others_are_served(
    tmp_path: Path,
) -> None:
    """Thirty-two clients connect and send nothing or half a request: each is answered, as it
    should be, by the connection closing once the idle timeout passes (1 s here, 15 s in
    `watch`), while real requests are answered meanwhile and afterwards."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "memo.html").write_text("<!DOCTYPE html><title>memo</title><p>memo</p>")
    server = serve(tmp_path / "out", Status(builds=1, briefings=["memo"]), 0, idle_seconds=1)
    port, host = server.port, f"127.0.0.1:{server.port}"
    idle = []
    try:
        for n in range(32):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if n % 2:
                sock.sendall(b"GET /memo.html HTTP/1.1\r\nHost: 127.0.0.1")
            idle.append(sock)
        assert _get(port, "/memo.html", host) == 200
        closed = [sock.recv(1) for sock in idle]  # b"": closed by the server (a hang fails)
        assert closed == [b""] * 32
        assert _get(port, "/memo.html", host) == 200
    finally:
        for sock in idle:
            sock.close()
        server.close()


@pytest.mark.parametrize(
    "framing",
    ["Content-Length: 900000000\r\n", "Transfer-Encoding: chunked\r\n"],
    ids=["length", "chunked"],
)
def test_a_request_with_a_body_is_refused_before_anything_is_stored(server, framing: str) -> None:
    """Nothing answered carries a body: a GET announcing 900 MB (or sending chunks without
    end) is refused at once, nothing of it written to a temporary file, and others served."""
    port = server.port
    held = _temporary_bytes()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(f"GET /memo.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{framing}\r\n".encode())
        chunk = b"100000\r\n" + b"x" * 0x100000 + b"\r\n" if "chunked" in framing else b"x" * 2**20
        sent = 0
        with contextlib.suppress(OSError):  # the server closes the connection under the sender
            for _ in range(64):
                sock.sendall(chunk)
                sent += 1
        answer = sock.recv(200)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.0 413") or answer.startswith(b"HTTP/1.1 413"), answer
    assert _temporary_bytes() - held < 2**20
    assert _get(port, "/memo.html", f"127.0.0.1:{port}") == 200


def _temporary_bytes() -> int:
    """Bytes held in this process's open temporary files (waitress's body buffers, and
    pytest's own, hence a difference is what counts)."""
    total = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            if os.readlink(fd).startswith(tempfile.gettempdir()):
                total += fd.stat().st_size
    return total


def test_a_client_that_sends_a_byte_at_a_time_is_dropped_once_its_request_is_overdue(
    tmp_path: Path,
) -> None:
    """Never idle, never done: a byte every 0.3 s kept a connection forever (512 such held
    every connection). A request must arrive whole within its time (2 s here, 30 s in
    `watch`); real requests are answered meanwhile."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "memo.html").write_text("<!DOCTYPE html><title>memo</title><p>memo</p>")
    status = Status(builds=1, briefings=["memo"])
    server = serve(tmp_path / "out", status, 0, idle_seconds=1, request_seconds=2)
    port, host = server.port, f"127.0.0.1:{server.port}"
    request = f"GET /memo.html HTTP/1.1\r\nHost: {host}\r\nX-Slow: {'a' * 200}\r\n\r\n".encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    started = time.monotonic()
    sent = 0
    try:
        with contextlib.suppress(OSError):  # the server closes the connection under the sender
            while sent < len(request) - 4 and time.monotonic() - started < 20:
                sock.sendall(request[sent : sent + 1])
                sent += 1
                if sent == 3:
                    assert _get(port, "/memo.html", host) == 200
                time.sleep(0.3)
        sock.settimeout(10)
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(1) == b""
        assert time.monotonic() - started < 10
        assert _get(port, "/memo.html", host) == 200
    finally:
        sock.close()
        server.close()


@pytest.mark.parametrize(
    ("port", "message"),
    [
        (-1, "--port -1 is not a port number"),
        (99999, "--port 99999 is not a port number"),  # it served on 34463
        (None, "is already in use (by another `watch`, or another program)"),
    ],
)
def test_a_port_that_cannot_be_listened_on_is_said_in_words(
    server, tmp_path: Path, port: int | None, message: str
) -> None:
    """Each was an internal error (ValueError, OSError: Address already in use)."""
    with pytest.raises(CitebriefError) as refused:
        serve(tmp_path / "out", Status(), server.port if port is None else port)
    assert message in refused.value.message
    assert "--port N" in refused.value.hint or "0 picks a free one" in refused.value.hint


def test_clients_that_ask_for_a_large_file_again_and_again_and_read_nothing_hold_no_worker(
    server, tmp_path: Path
) -> None:
    """Eight connections each ask three times over for a 24 MB file and read nothing: each
    waiting answer held a worker (past waitress's 16 MB mark) until all four were stuck and
    nothing was served. One answer per connection, sent from the file: others are served."""
    (tmp_path / "out" / "big.pdf").write_bytes(b"%PDF-" + b"0" * 24_000_000)
    port, host = server.port, f"127.0.0.1:{server.port}"
    request = f"GET /big.pdf HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    stuck = []
    try:
        for _ in range(8):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", port))
            sock.sendall(request * 3)
            stuck.append(sock)
        time.sleep(1)
        for _ in range(3):
            assert _get(port, "/memo.html", host, timeout=5) == 200
    finally:
        for sock in stuck:
            sock.close()


def test_every_answer_closes_its_connection(server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", "/memo.html", headers={"Host": f"127.0.0.1:{server.port}"})
        response = connection.getresponse()
        assert response.read().startswith(b"<!DOCTYPE html>")
        assert response.getheader("Connection") == "close"
    finally:
        connection.close()
