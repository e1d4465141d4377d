"""The scale dimensions of issue 18, one at a time, each at n and 4n (or the sizes the issue
names): cited source size × briefings (peak memory), entities with aliases, source size,
triage against the fact base, `diff` and `uses`. Projects are written here, deterministic.

Called by benchmarks/run.py (it passes its Table and its way of running a process).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from make_corpus import _letters, make_corpus

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = str(REPO / "build.py")
EDITION = "2026-11-23"
FILLER = (
    "Paragraph {k} of bulletin {s} records routine matters of procedure, staffing and the "
    "schedule of the next meeting of the committee.\n"
)


def _front(s: int, text: str) -> str:
    import hashlib

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (
        f'---\nid: "bulletin-{s:04d}"\ntitle: "Bulletin {s}"\npublisher: "Statistics Office"\n'
        'author: "unknown"\nurl: "https://example.org/b"\npublished: 2026-01-05\n'
        'retrieved: 2026-01-06\nkind: "primary"\nreliability: "high"\n'
        f'reliability_note: "synthetic"\nsha256: "{sha}"\n---\n' + text
    )


def _fact(s: int, subject: str = "") -> str:
    about = f"  subject: {subject}\n" if subject else ""
    return (
        f"- id: bulletin.b{s:04d}.requests\n  label: Requests counted in bulletin {_letters(s)}\n"
        f"  value: {1000 + s}\n  unit: requests\n  qualifier: exact\n{about}"
        f"  citations:\n    - source: bulletin-{s:04d}\n"
        f'      quote: "The office counted {1000 + s:,} requests in 2025."\n'
    )


def cited_corpus(out: Path, sources: int, source_kb: int, briefings: int) -> Path:
    """``sources`` sources of ``source_kb`` KB, one fact each, and ``briefings`` background
    papers that each cite every fact (so every source's archived text is in each)."""
    (out / "sources").mkdir(parents=True)
    (out / "briefings/facts").mkdir(parents=True)
    (out / "citebrief.toml").write_text('name = "cited size"\n')
    facts = []
    for s in range(sources):
        lines = [FILLER.format(k=k, s=s) for k in range(source_kb * 1024 // 130)]
        lines.insert(len(lines) // 2, f"The office counted {1000 + s:,} requests in 2025.\n")
        (out / "sources" / f"bulletin-{s:04d}.txt").write_text(_front(s, "".join(lines)))
        facts.append(_fact(s))
    (out / "briefings/facts/bulletins.yaml").write_text("\n".join(facts))
    refs = "\n".join(
        f"- A bulletin: [[bulletin.b{s:04d}.requests]] requests." for s in range(sources)
    )
    for b in range(briefings):
        (out / "briefings" / f"paper-{b:03d}.md").write_text(
            f"---\ntitle: Paper {_letters(b)}\nedition: {EDITION}\naudience: Readers\nmarking: Synthetic\n"
            f"template: paper\nauthor: Benchmarks\n---\n\n## Bottom line\n\n{refs}\n"
        )
    return out


def _argv(root: Path, *args: str) -> list[str]:
    return [sys.executable, BUILD_PY, "--project", str(root), *args]


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@example.org", *args],
        check=True,
        capture_output=True,
    )


def measure_dimensions(
    table: Any, work: Path, reps: int, run_process: Callable[..., Any], quick: bool
) -> None:
    from bench_register import measure_register
    from bench_triage import measure as measure_triage

    guarded(
        table, "register", lambda: measure_register(table, work, 2_000 if quick else 10_000, reps)
    )
    guarded(table, "register n → 4n", lambda: _register(table, work, reps, run_process, quick))
    guarded(table, "source size", lambda: _source_size(table, work, reps, run_process, quick))
    guarded(table, "briefings × cited size", lambda: _cited_size(table, work, run_process, quick))
    guarded(table, "triage against the fact base", lambda: measure_triage(table))
    guarded(table, "diff and uses", lambda: _diff_and_uses(table, work, reps, run_process, quick))


def guarded(table: Any, what: str, action: Callable[[], object]) -> None:
    """Run one measurement; if it breaks, say so in the table and go on with the next (one
    broken corpus must not cost the figures of a whole run)."""
    try:
        action()
    except (Exception, SystemExit) as exc:
        words = str(exc).strip().splitlines()
        table.add(f"{what}: not measured", (words[0][:300] if words else type(exc).__name__))


ORGS = 500


def _figure_text(size: int) -> str:
    """About ``size`` characters of prose: every third sentence gives a figure of one of
    ORGS organisations, the others are filler (a news wire's share of figures)."""
    sentences, k = [], 0
    while sum(map(len, sentences)) < size:
        if k % 3 == 0:
            j = k // 3
            sentences.append(
                f"Org{j % ORGS:04d} counted {1000 + 7 * j:,} requests in the quarter, "
                "the agency said."
            )
        else:
            sentences.append(FILLER.format(k=k, s=k % 17).strip())
        k += 1
    return "".join(s + ("\n\n" if n % 4 == 3 else " ") for n, s in enumerate(sentences)) + "\n"


def source_size_corpus(out: Path, kb: int) -> Path:
    """One source of ``kb`` KB cited by 20 facts (one every so often through the text), a
    register of ORGS organisations: what `check` verifies and `triage` reads grows with it."""
    (out / "sources").mkdir(parents=True)
    (out / "briefings/facts").mkdir(parents=True)
    (out / "citebrief.toml").write_text('name = "source size"\n')
    text = _figure_text(kb * 1024)
    (out / "sources/bulletin-0000.txt").write_text(_front(0, text))
    figures = text.count(" requests in the quarter")
    facts = []
    for n in range(20):
        j = n * figures // 20
        facts.append(
            f"- id: wire.f{n:02d}\n  label: Requests counted by Org{j % ORGS:04d}\n"
            f"  value: {1000 + 7 * j}\n  unit: requests\n  qualifier: exact\n"
            f"  subject: org{j % ORGS}\n  citations:\n    - source: bulletin-0000\n"
            f'      quote: "Org{j % ORGS:04d} counted {1000 + 7 * j:,} requests in the quarter"\n'
        )
    (out / "briefings/facts/wire.yaml").write_text("\n".join(facts))
    lines = ["entities:"]
    lines += [f"  - id: org{e}\n    name: Org{e:04d}" for e in range(ORGS)]
    lines += ["units:", "  - id: requests\n    singular: request\n    plural: requests"]
    (out / "briefings/entities.yaml").write_text("\n".join(lines) + "\n")
    return out


def _source_size(
    table: Any, work: Path, reps: int, run_process: Callable[..., Any], quick: bool
) -> None:
    """`check` and `triage` of one source of 50 → 200 → 800 KB (CPU, start-up included)."""
    sizes = (50, 200) if quick else (50, 200, 800)
    print(f"`check` and `triage` with one source of {' → '.join(map(str, sizes))} KB", flush=True)
    cpu: dict[str, dict[int, float]] = {"check": {}, "triage": {}}
    for kb in sizes:
        root = source_size_corpus(work / f"source-{kb}", kb)
        for command, args in (("check", ["check"]), ("triage", ["triage", "bulletin-0000"])):
            runs = [run_process(_argv(root, *args)) for _ in range(reps)]
            cpu[command][kb] = statistics.median(r.cpu for r in runs)
            peak = max(r.peak_mb for r in runs)
            table.add(
                f"`{command}`, one source of {kb} KB (20 facts cite it, 500 entities)",
                f"{cpu[command][kb]:.2f} s CPU, peak RSS {peak:.0f} MB",
            )
    a, b = sizes[-2], sizes[-1]
    for command, by_size in cpu.items():
        table.add(
            f"`{command}`, source of {a} → {b} KB",
            f"{by_size[a]:.2f} → {by_size[b]:.2f} s CPU ({by_size[b] / by_size[a]:.2f}×)",
            "≤ 4× (linear)",
            by_size[b] / by_size[a] <= 4,
        )


def _cited_size(table: Any, work: Path, run_process: Callable[..., Any], quick: bool) -> None:
    """Peak memory of `check`: briefings × cited size (target ≤1.5× from 10 to 160)."""
    sources, kb = (20, 200) if quick else (100, 200)
    print(f"`check` peak memory, briefings citing {sources} sources of {kb} KB", flush=True)
    peaks = {}
    for briefings in (10, 40, 160):
        root = cited_corpus(work / f"cited-{briefings}", sources, kb, briefings)
        run = run_process(_argv(root, "check"))
        peaks[briefings] = run.peak_mb
        table.add(
            f"`check`, {briefings} briefings citing {sources} sources of {kb} KB",
            f"{run.cpu:.2f} s CPU, peak RSS {run.peak_mb:.0f} MB",
        )
    ratio = peaks[160] / peaks[10]
    table.add(
        "`check` peak memory, 160 vs 10 briefings (same cited sources)",
        f"{peaks[10]:.0f} → {peaks[160]:.0f} MB ({ratio:.2f}×)",
        "≤ 1.5×",
        ratio <= 1.5,
    )


def _register(
    table: Any, work: Path, reps: int, run_process: Callable[..., Any], quick: bool
) -> None:
    """`check` against the register: entities with 3 aliases each, n → 4n (the facts'
    subjects are the register's agencies, as in bench_register.py; the same errors at both
    sizes, since the echoed quotes name no agency)."""
    from bench_register import check_cpu, give_subjects, write_register

    facts = 2_000 if quick else 10_000
    print(f"`check` with a register, {facts:,} facts, 1,250 → 5,000 entities", flush=True)
    root = make_corpus(work / "register-n4n", facts, seed=1, briefings=2, memos=False)
    give_subjects(root)
    cpu = {}
    for entities in (1_250, 5_000):
        write_register(root, entities)
        cpu[entities], _ = check_cpu(root, reps)
    table.add(
        f"`check` register cost, {facts:,} facts, 1,250 → 5,000 entities × 3 aliases",
        f"{cpu[1_250]:.2f} → {cpu[5_000]:.2f} s CPU ({cpu[5_000] / cpu[1_250]:.2f}×)",
        "≤ 4× (linear)",
        cpu[5_000] / cpu[1_250] <= 4,
    )


def _diff_and_uses(
    table: Any, work: Path, reps: int, run_process: Callable[..., Any], quick: bool
) -> None:
    """`diff` (against the previous commit) and `uses` at n and 4n facts."""
    sizes = (500, 2_000) if quick else (2_500, 10_000)
    for command in ("diff", "uses"):
        print(f"`{command}` at {sizes[0]:,} → {sizes[1]:,} facts", flush=True)
        cpu = {}
        for n in sizes:
            root = work / f"{command}-{n}"
            if not root.exists():
                make_corpus(root, n, seed=1, briefings=2, memos=False)
                _git(root, "init", "-q")
                _git(root, "add", "-A")
                _git(root, "commit", "-q", "-m", "first")
                facts = root / "briefings/facts/topic0000.yaml"
                facts.write_text(facts.read_text().replace("value: ", "value: 1", 1))
                _git(root, "commit", "-q", "-am", "second")
            args = ["diff", "HEAD~1"] if command == "diff" else ["uses", "src0000"]
            if command == "uses":
                args = ["uses", _first_source(root)]
            cpu[n] = statistics.median(run_process(_argv(root, *args)).cpu for _ in range(reps))
        a, b = sizes
        table.add(
            f"`{command}`, {a:,} → {b:,} facts",
            f"{cpu[a]:.2f} → {cpu[b]:.2f} s CPU ({cpu[b] / cpu[a]:.2f}×)",
            "≤ 4× (linear)",
            cpu[b] / cpu[a] <= 4,
        )


def _first_source(root: Path) -> str:
    return sorted(p.stem for p in (root / "sources").glob("*.txt"))[0]
