"""The watch server answers only this machine's own pages, shows names as text, and keeps up."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from citebrief.watch import Status, serve

MARKUP_NAME = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "memo.html").write_text("<!DOCTYPE html><title>memo</title><p>memo</p>")
    status = Status(builds=1, briefings=["memo", MARKUP_NAME])
    httpd = serve(tmp_path / "out", status, 0)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


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
    port = server.server_address[1]
    assert _get(port, path, f"127.0.0.1:{port}") == 200
    assert _get(port, path, f"localhost:{port}") == 200
    assert _get(port, path, f"attacker.example:{port}") == 403
    assert _get(port, path, "attacker.example") == 403
    assert _get(port, path, "") == 403


def test_two_hundred_simultaneous_requests_are_all_answered(server) -> None:
    port = server.server_address[1]
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
    port = server.server_address[1]
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
    port = server.server_address[1]
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
