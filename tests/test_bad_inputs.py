"""Every bad input gives a located, plain error: exit 1 (2 for usage), no traceback, output/ untouched.

Each folder under tests/bad_inputs/ is one case: ``files/`` is laid over a copy of the
small valid project in ``_base/`` (an empty file in ``files/`` named ``X.remove`` deletes
``X``), and ``case.yaml`` says what to run and what must come out:

    what: one line saying what the user did wrong
    command: [check]            # the arguments after --project (default: check)
    exit: 1
    message: a fragment of the message the user must see
    hint: a fragment of the hint the user must see
    at: briefings/facts/facts.yaml:12      # the problem is located here (path:line)
    errors: 1                   # at most this many errors (no knock-on flood)
    forbid: ["root:x:"]         # text that must not appear anywhere
    stdin: /dev/zero            # what the command reads as standard input
    setup:                      # things a folder of files cannot hold
      - symlink: [sources/zero.txt, /dev/zero]
      - move: [sources, kept/sources]   # a folder moved, e.g. before linking to it
      - fifo: sources/pipe.txt           # (in place of the file there, if any)
      - socket: sources/socket.txt
      - generate: many-facts
      - edition: memo           # an edition of briefings/memo.md as publish freezes it
      - write: [editions/memo/2026-03-01/edition.json, "{not json"]   # then damaged
      - remove: editions/memo/2026-03-01/snapshot/briefings/memo.md
      - replace: [briefings/memo.md, "old text", "new text"]
      - rehash: editions/memo/2026-03-01     # edition.json records the files as they are now
      - redigest: editions/memo/2026-03-01   # edition.json's own hash made again (only that)
      - strip-digest: editions/memo/2026-03-01   # edition.json's own hash deleted
      - unlist: [editions/memo/2026-03-01, snapshot/briefings/memo.md]  # entry removed
        digest: false           # … without making the record's own hash again
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from citebrief.cli import main

CASES = Path(__file__).parent / "bad_inputs"
BASE = CASES / "_base"
TIME_LIMIT = 60
"""Seconds a case may take; a hang (a FIFO read, an endless file) fails instead of blocking CI."""


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "case.yaml").is_file())


@pytest.mark.parametrize("name", _case_names())
def test_bad_input(name: str, tmp_path: Path, capsys, monkeypatch) -> None:
    case = yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))
    root = _project(name, case, tmp_path / "project")
    before = _snapshot(root / "output")
    out = io.StringIO()
    with _time_limit(TIME_LIMIT), open(case.get("stdin", os.devnull), "rb") as stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        command = [arg.replace("{root}", str(root)) for arg in case.get("command", ["check"])]
        code = main(["--project", str(root), *command], out=out)
    printed = out.getvalue() + capsys.readouterr().err
    assert "Traceback" not in printed and "internal error" not in printed, printed
    assert code == case.get("exit", 1), printed
    assert case["message"] in printed, printed
    assert case.get("hint", "") in printed, printed
    if case.get("at"):
        assert any(line.startswith(case["at"] + ":") for line in printed.splitlines()), printed
    if "errors" in case:
        assert printed.count(": error: ") <= case["errors"], printed
    for text in case.get("forbid", []):
        assert text not in printed, printed
    assert _snapshot(root / "output") == before, "output/ was changed"


def test_every_case_says_what_it_tests() -> None:
    for name in _case_names():
        case = yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8"))
        assert case.get("what") and case.get("message"), name
        assert case.get("exit", 1) in (1, 2), name


def _project(name: str, case: dict, root: Path) -> Path:
    shutil.copytree(BASE, root)
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    files = CASES / name / "files"
    if files.is_dir():
        for path in sorted(files.rglob("*")):
            rel = path.relative_to(files)
            if path.suffix == ".remove":
                (root / rel.with_suffix("")).unlink()
            elif path.is_file():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, root / rel)
    for step in case.get("setup", []):
        _setup(step, root)
    (root / "output").mkdir(exist_ok=True)
    (root / "output" / "earlier.html").write_text("an earlier build\n")
    return root


def _setup(step: dict, root: Path) -> None:
    if "move" in step:
        source, target = step["move"]
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / source, root / target)
    elif "symlink" in step:
        link, target = step["symlink"]
        (root / link).unlink(missing_ok=True)
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    elif "fifo" in step:
        (root / step["fifo"]).unlink(missing_ok=True)
        os.mkfifo(root / step["fifo"])
    elif "socket" in step:  # bound from its folder: a socket's path may not be long
        path = root / step["socket"]
        here = os.getcwd()
        os.chdir(path.parent)
        try:
            with socket.socket(socket.AF_UNIX) as listening:
                listening.bind(path.name)
        finally:
            os.chdir(here)
    elif "generate" in step:
        GENERATORS[step["generate"]](root)
    elif "edition" in step:
        _published(root, step["edition"])
    elif "write" in step:
        path, text = step["write"]
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    elif "replace" in step:
        path, old, new = step["replace"]
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path}"
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    elif "rehash" in step:  # a damaged file recorded as published (a record made so)
        _rehash(root / step["rehash"], step.get("digest", True))
    elif "redigest" in step:  # a record made so: its own hash matches its content
        record_file = root / step["redigest"] / "edition.json"
        record = json.loads(record_file.read_text(encoding="utf-8"))
        record["digest"] = _digest(record)
        record_file.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    elif "strip-digest" in step:
        record_file = root / step["strip-digest"] / "edition.json"
        record = yaml.safe_load(record_file.read_text(encoding="utf-8"))
        del record["digest"]
        record_file.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    elif "unlist" in step:  # an entry taken out of the record, its digest made again
        _unlist(root / step["unlist"][0], step["unlist"][1], step.get("digest", True))
    elif "remove" in step:
        (root / step["remove"]).unlink()
    else:
        raise AssertionError(f"unknown setup step {step}")


def _many_facts(root: Path) -> None:
    """100,000 well-formed facts in one file: far past the size any fact file is read at."""
    entry = (
        "- id: bulk.fact-{n}\n"
        "  label: Requests counted in batch {n}\n"
        "  value: 1200\n"
        "  unit: requests\n"
        "  qualifier: about\n"
        "  citations:\n"
        "    - source: example-report\n"
        '      quote: "The agency counted about 1,200 requests from the first lab in 2025."\n'
    )
    with open(root / "briefings/facts/bulk.yaml", "w", encoding="utf-8") as handle:
        for n in range(100_000):
            handle.write(entry.format(n=n))


def _huge_file(root: Path) -> None:
    """A sparse 1.5 GB file to archive (no disk space used)."""
    with open(root / "huge.txt", "wb") as handle:
        handle.truncate(1536 * 1024 * 1024)


def _huge_source(root: Path) -> None:
    """A sparse 1.5 GB file among the sources."""
    with open(root / "sources/huge.txt", "wb") as handle:
        handle.truncate(1536 * 1024 * 1024)


def _unclosed_references(root: Path) -> None:
    """A memo whose only paragraph opens 20,000 references and closes none."""
    memo = (root / "briefings/memo.md").read_text(encoding="utf-8")
    front = memo[: memo.index("## Bottom line")]
    (root / "briefings/memo.md").write_text(
        front + "## Bottom line\n\n" + "The [[labs " * 20_000 + "end.\n", encoding="utf-8"
    )


def _inflating_stream(text: bytes, inflated: int) -> bytes:
    """A FlateDecode stream of about 1 MB per GB that ``text`` and ``inflated`` bytes of
    spaces expand to: one compressed block of 16 MB, repeated (each block starts afresh)."""
    import struct
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (16 * 2**20)
    count = inflated // len(chunk)
    head = compressor.compress(text) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    check = zlib.adler32(text)
    for _ in range(count):
        check = zlib.adler32(chunk, check)
    return b"\x78\xda" + head + block * count + compressor.flush() + struct.pack(">I", check)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>"
)
_TEXT = b"BT /F1 12 Tf 72 720 Td (The agency counted 1,200 requests.) Tj ET\n"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra)
        + data
        + (b"\nendstream")
    )


def _pdf_bomb(root: Path, where: str) -> None:
    """A 1.2 MB PDF whose page text (or a form the page draws) inflates to 1.2 GB."""
    import zlib

    bomb = _inflating_stream(_TEXT, 1200 * 2**20)
    small = zlib.compress(_TEXT + b"/X1 Do\n")
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _PAGE,
        _stream(bomb if where == "page" else small),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(small if where == "page" else bomb, form),
    ]
    (root / "bomb.pdf").write_bytes(_pdf(objects))


GENERATORS = {
    "pdf-bomb-page": lambda root: _pdf_bomb(root, "page"),
    "pdf-bomb-form": lambda root: _pdf_bomb(root, "form"),
    "many-facts": _many_facts,
    "huge-file": _huge_file,
    "huge-source": _huge_source,
    "unclosed-references": _unclosed_references,
}


def _published(root: Path, briefing: str) -> None:
    """editions/BRIEFING/EDITION/ as `publish` writes it, without the built outputs: a
    snapshot of the spec, the fact files and the sources, and edition.json with their hashes."""
    import hashlib
    import json
    import re

    spec = f"briefings/{briefing}.md"
    date = re.search(r"^edition: (\S+)$", (root / spec).read_text(), re.M).group(1)  # type: ignore[union-attr]
    folder = root / "editions" / briefing / date
    names = [
        spec,
        *(p.relative_to(root).as_posix() for p in (root / "briefings/facts").rglob("*.yaml")),
    ]
    names += [p.relative_to(root).as_posix() for p in (root / "sources").glob("*.txt")]
    files = {}
    for rel in sorted(names):
        data = (root / rel).read_bytes()
        (folder / "snapshot" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "snapshot" / rel).write_bytes(data)
        files[f"snapshot/{rel}"] = hashlib.sha256(data).hexdigest()
    ids = re.findall(r"^- id: (\S+)$", (root / "briefings/facts/facts.yaml").read_text(), re.M)
    record = {
        "briefing": briefing,
        "edition": date,
        "facts": sorted(ids),
        "sources": ["example-report"],
        "files": files,
    }
    record["digest"] = _digest(record)
    (folder / "edition.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _digest(record: dict) -> str:
    """An edition record's hash of itself: every key but 'digest', canonical JSON."""
    import hashlib
    import json

    content = {key: value for key, value in record.items() if key != "digest"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _rehash(folder: Path, digest: bool = True) -> None:
    import hashlib
    import json

    record = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    for name in record["files"]:
        record["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    if digest:
        record["digest"] = _digest(record)
    (folder / "edition.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _unlist(folder: Path, name: str, digest: bool) -> None:
    import json

    record = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    del record["files"][name]
    if digest:
        record["digest"] = _digest(record)
    (folder / "edition.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file (the chart cache under output/.cache is a cache, not an output)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


class _time_limit:
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def expired(*_: object) -> None:
            raise TimeoutError(f"the case took longer than {self.seconds} s (a hang?)")

        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(self.seconds)

    def __exit__(self, *_: object) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_an_output_that_is_a_file_is_an_error_at_it(tmp_path: Path, capsys) -> None:
    """`output` must be a folder: a file of that name is named, and left as it was."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "output").write_text("notes of mine\n")
    out = io.StringIO()
    code = main(["--project", str(root), "build"], out=out)
    printed = out.getvalue() + capsys.readouterr().err
    assert code == 1 and "internal error" not in printed, printed
    assert printed.startswith("output:1:1: error: this is not a folder"), printed
    assert "\n  hint: " in printed
    assert (root / "output").read_text() == "notes of mine\n"
