"""Hostile and very large inputs, timed at two sizes: does the cost grow with the input, or
with its square?

    .venv/bin/python benchmarks/hostile.py            # every case, at n and 4n
    .venv/bin/python benchmarks/hostile.py triage-table quote-paste   # some cases
    .venv/bin/python benchmarks/hostile.py --make urlline 4000 OUT     # one project, to look at

Each case writes a small valid project (the bad-input base of tests/bad_inputs/_base) with
one input blown up, runs one command on it in a fresh process, and reports user CPU. A
ratio near 4 for 4× the input is linear; near 16 is quadratic. The cases are the ones that
were quadratic or worse before the scale hunt of 2026-11-26 (see the CHANGELOG).
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "bad_inputs" / "_base"
MEMO = """---
title: Scaled input
edition: 2026-03-01
audience: The Principal
marking: For discussion
template: paper
author: Policy staff
---

"""


def _word(k: int) -> str:
    """A number as letters (0 → 'a', 26 → 'aa'): text that states no figure."""
    word = ""
    while True:
        k, digit = divmod(k, 26)
        word = chr(97 + digit) + word
        if k == 0:
            return word
        k -= 1


def _source(root: Path, sid: str, body: str, url: str = "unknown") -> None:
    sha = hashlib.sha256(body.encode()).hexdigest()
    (root / "sources" / f"{sid}.txt").write_text(
        f'---\nid: "{sid}"\ntitle: "Report {sid}"\npublisher: "Agency"\nauthor: "unknown"\n'
        f'url: "{url}"\npublished: 2026-01-20\nretrieved: 2026-01-21\nkind: "primary"\n'
        f'reliability: "high"\nreliability_note: "generated"\nsha256: "{sha}"\n---\n' + body
    )


def _fact(fid: str, value: int, sid: str, quote: str) -> str:
    return (
        f"- id: {fid}\n  label: Requests counted {fid}\n  value: {value}\n  unit: requests\n"
        f'  qualifier: exact\n  citations:\n    - source: {sid}\n      quote: "{quote}"\n\n'
    )


def _memo(root: Path, body: str) -> None:
    (root / "briefings" / "memo.md").write_text(MEMO + body)


def _sentence(k: int) -> str:
    return f"Lab {k} sent exactly {10000 + k} requests in the year."


def _cited(root: Path, n: int, url: str = "unknown", joiner: str = "\n", filler: int = 0) -> None:
    """One source stating n sentences, n facts quoting one each, a memo showing them all."""
    padding = "Nothing else was noted here. " * filler
    _source(root, "bulk", joiner.join(padding + _sentence(k) for k in range(n)) + "\n", url)
    facts = "".join(_fact(f"bulk.f{k}", 10000 + k, "bulk", _sentence(k)) for k in range(n))
    (root / "briefings/facts/bulk.yaml").write_text(facts)
    _memo(root, "## Text\n\n" + "\n".join(f"- Sent [[bulk.f{k}]] requests." for k in range(n)))


def many_references(root: Path, n: int) -> None:
    """A memo citing n facts of one source (the evidence companion marks n passages)."""
    _cited(root, n)


def web_source_cited_often(root: Path, n: int) -> None:
    """A web source cited n times (text fragments: are the quoted words unique?)."""
    _cited(root, n, "https://example.org/report", filler=20)


def web_source_one_line(root: Path, n: int) -> None:
    """The same, the source being one long line."""
    _cited(root, n, "https://example.org/report", joiner=" ", filler=20)


def triage_own_facts(root: Path, n: int) -> None:
    """Triage a source against a fact base of its own n facts."""
    _cited(root, n)


def triage_table(root: Path, n: int) -> None:
    """Triage a table read as text: n numbers on one line, no sentence ends."""
    _source(root, "table", " ".join(str(k) for k in range(1000, 1000 + n)) + "\n")


def search_abbreviations(root: Path, n: int) -> None:
    """Search a sentence of n abbreviations ('Mr. Mr. …')."""
    _source(root, "table", "Mr. " * n + "Smith sent 1,200 requests.\n")


def quote_paste(root: Path, n: int) -> None:
    """Look for a pasted paragraph, not in the source, in a source of n lines."""
    _source(root, "lines", "".join(f"Line {k} notes {k * 7} requests.\n" for k in range(n)))


def unclosed_references(root: Path, n: int) -> None:
    """A paragraph of n '[[' never closed."""
    _memo(root, "## T\n\n" + "The [[labs " * n + "end.\n")


def source_ids(root: Path, n: int) -> None:
    """n sources with varied ids, a memo using a fact of each (ids in reader text?)."""
    facts = []
    for k in range(n):
        sid = f"{_word(k * 7919 % 17576)}-{_word(k)}-report"
        _source(root, sid, _sentence(k) + "\n")
        facts.append(_fact(f"bulk.f{k}", 10000 + k, sid, _sentence(k)))
    (root / "briefings/facts/bulk.yaml").write_text("".join(facts))
    _memo(root, "## Text\n\n" + "\n".join(f"- Sent [[bulk.f{k}]] requests." for k in range(n)))


def unknown_references(root: Path, n: int) -> None:
    """n facts, and a memo of n references to ids not among them ('did you mean')."""
    _cited(root, n)
    _memo(root, "## Text\n\n" + "\n".join(f"- Sent [[bulk.g{k}x]] requests." for k in range(n)))


def large_register(root: Path, n: int) -> None:
    """n entities, n facts whose subject is none of them (each hint lists the register)."""
    entities = "".join(f"  - id: lab-{_word(k)}\n    name: Lab {_word(k)}\n" for k in range(n))
    (root / "briefings/entities.yaml").write_text(f"entities:\n{entities}")
    quote = "The agency counted about 1,200 requests from the first lab in 2025."
    facts = (
        _fact(f"bulk.f{k}", 1200, "example-report", quote).replace(
            "  qualifier: exact", f"  qualifier: about\n  subject: nolab-{_word(k)}"
        )
        for k in range(n)
    )
    (root / "briefings/facts/bulk.yaml").write_text("".join(facts))


PASTE = " ".join(f"word{i} absent" for i in range(150))
CASES: dict[str, tuple[Callable[[Path, int], None], int, list[str]]] = {
    "many-references": (many_references, 500, ["check", "--format", "json"]),
    "web-source-cited-often": (web_source_cited_often, 500, ["check", "--format", "json"]),
    "web-source-one-line": (web_source_one_line, 250, ["check", "--format", "json"]),
    "triage-own-facts": (triage_own_facts, 500, ["triage", "bulk"]),
    "triage-table": (triage_table, 8000, ["triage", "table"]),
    "search-abbreviations": (search_abbreviations, 20000, ["search", "requests"]),
    "quote-paste": (quote_paste, 3000, ["quote", "lines", PASTE]),
    "unclosed-references": (unclosed_references, 5000, ["check", "--format", "json"]),
    "source-ids": (source_ids, 1000, ["check", "--format", "json"]),
    "unknown-references": (unknown_references, 500, ["check", "--format", "json"]),
    "large-register": (large_register, 1000, ["check", "--format", "json"]),
}


def make(case: str, n: int, out: Path) -> Path:
    shutil.copytree(BASE, out)
    CASES[case][0](out, n)
    return out


def cpu_seconds(root: Path, command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--project", str(root), *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"of: {', '.join(CASES)} (default: all)")
    parser.add_argument("--make", nargs=3, metavar=("CASE", "N", "OUT"), help="write one project")
    args = parser.parse_args()
    if args.make:
        case, n, out = args.make
        print(make(case, int(n), Path(out)))
        return
    print(f"{'case':<24} {'n':>6} {'CPU n':>7} {'CPU 4n':>7} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases or CASES:
            _, n, command = CASES[case]
            floor = cpu_seconds(make(case, 1, Path(tmp) / f"{case}-0"), command)
            small = cpu_seconds(make(case, n, Path(tmp) / f"{case}-1"), command) - floor
            large = cpu_seconds(make(case, 4 * n, Path(tmp) / f"{case}-4"), command) - floor
            ratio = large / small if small > 0.01 else float("nan")
            print(f"{case:<24} {n:>6} {small:>7.2f} {large:>7.2f} {ratio:>6.1f}")
    print("(CPU less that of the same command at n = 1; a ratio near 4 is linear, 16 quadratic)")


if __name__ == "__main__":
    main()
