"""`check` against a shop-sized register: 10,000 facts whose subjects are entities of a
register of 5,000 entities with 3 aliases each, against the same corpus with 50 entities,
and against the YAML parse floor (reading and parsing every file `check` reads).

    .venv/bin/python benchmarks/bench_register.py [--facts 10000] [--reps 3]

Figures are CPU seconds (user + system) of a fresh `check` process, median of the runs;
targets are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from launch import as_users_run  # noqa: E402
from make_corpus import AGENCIES, UNITS, make_corpus  # noqa: E402

as_users_run()

ALIASES = 3


def agency_id(k: int) -> str:
    return f"agency-{k:02d}"


def write_register(root: Path, entities: int) -> None:
    """The agencies the facts are about, then filler companies up to ``entities``, each with
    three aliases; the corpus's units."""
    lines = ["entities:"]
    for k, name in enumerate(AGENCIES):
        short = "".join(w[0] for w in name.split()).upper()
        aliases = [f"{name} office", f"{short} {k:02d}", f"agency number {k:02d}"]
        lines += [f"  - id: {agency_id(k)}", f"    name: {name}", f"    aliases: {aliases}"]
    for i in range(max(0, entities - len(AGENCIES))):
        aliases = [f"Co {i:05d} Ltd", f"Subsidiary {i:05d} of Group", f"Trading arm {i:05d}"]
        lines += [f"  - id: company-{i:05d}", f"    name: Company {i:05d} Holdings"]
        lines += [f"    aliases: [{', '.join(aliases)}]"]
    lines.append("units:")
    for unit in UNITS:
        lines += [f"  - id: {unit}", f"    singular: {unit[:-1]}", f"    plural: {unit}"]
    (root / "briefings" / "entities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


_ENTRY = re.compile(r"^(- id: .*\n  label: (.*)\n)", re.M)


def give_subjects(root: Path) -> None:
    """Every fact names the agency its label names as its subject."""
    names = sorted(((name, k) for k, name in enumerate(AGENCIES)), key=lambda p: -len(p[0]))

    def subject(m: re.Match[str]) -> str:
        agency = next((k for name, k in names if name in m.group(2)), None)
        return m.group(1) + (f"  subject: {agency_id(agency)}\n" if agency is not None else "")

    for file in (root / "briefings" / "facts").glob("*.yaml"):
        file.write_text(_ENTRY.sub(subject, file.read_text(encoding="utf-8")), encoding="utf-8")


_FLOOR = r"""
import sys, time, yaml
from pathlib import Path
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
started = time.process_time()
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.suffix == ".yaml":
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    elif path.suffix == ".txt":
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("\n---", 1)[0].removeprefix("---\n"), Loader=loader)
print(time.process_time() - started)
"""


def parse_floor(root: Path) -> float:
    """CPU seconds to read every source and parse every YAML file (fact files, the register,
    the sources' front matter) with PyYAML's fastest safe loader (libyaml's, when PyYAML has
    it): what no `check` can avoid. Measured in a fresh process, as `check` is: inside the
    benchmark, whose own heap the cycle collector walks on every pass, the same parse cost
    twice as much (1.77 s against 0.8 s at 10,000 facts), which halved the ratio."""
    run = subprocess.run(
        [sys.executable, "-c", _FLOOR, str(root)], capture_output=True, text=True, check=True
    )
    return float(run.stdout)


def check_cpu(root: Path, reps: int) -> tuple[float, int]:
    """Median CPU seconds of `check` in a fresh process, and the problems it reported (the
    corpus's echoed quotes name no agency, so some facts fail their subject check: both
    registers report the same ones)."""
    argv = [sys.executable, str(REPO / "build.py"), "--project", str(root), "check"]
    runs = []
    for _ in range(reps):
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = process.stdout.read() if process.stdout else b""
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"check failed: {out[-2000:].decode()}")
        runs.append(usage.ru_utime + usage.ru_stime)
    errors = out.decode().count(": error: ")
    return statistics.median(runs), errors


class Reporter(Protocol):
    def add(self, what: str, figure: str, target: str = "", met: bool | None = None) -> None: ...


def measure_register(table: Reporter, work: Path, facts: int, reps: int) -> None:
    """Add the register rows to ``table`` (benchmarks/run.py's, or a printer)."""
    print(f"check with a register of entities ({facts:,} facts)", flush=True)
    root = make_corpus(work / "register", facts, seed=1, briefings=10, memos=False)
    give_subjects(root)
    results = {}
    for entities in (50, 5_000):
        write_register(root, entities)
        results[entities] = check_cpu(root, reps)
    floor = statistics.median(parse_floor(root) for _ in range(reps))
    quarter = make_corpus(work / "register-quarter", facts // 4, seed=1, briefings=10, memos=False)
    give_subjects(quarter)
    write_register(quarter, 5_000)
    small_n, _ = check_cpu(quarter, reps)
    tiny = make_corpus(work / "register-10", 10, seed=1, briefings=1, memos=False)
    start_up, _ = check_cpu(tiny, reps)
    (small, small_errors), (large, large_errors) = results[50], results[5_000]
    assert small_errors == large_errors, (small_errors, large_errors)
    table.add(
        f"YAML parse floor, {facts:,} facts (libyaml: every file `check` reads)",
        f"{floor:.2f} s CPU",
    )
    table.add(
        f"`check`, {facts:,} facts, register of 50 entities × {ALIASES} aliases",
        f"{small:.2f} s CPU ({small_errors:,} errors, the same in both: echoed quotes name no agency)",
    )
    ratio = large / small
    table.add(
        f"`check`, {facts:,} facts, register of 5,000 entities × {ALIASES} aliases",
        f"{large:.2f} s CPU = {ratio:.2f}× the 50-entity register",
        "≤ 1.5×",
        ratio <= 1.5,
    )
    growth = (large - start_up) / (small_n - start_up)
    table.add(
        f"`check` with the 5,000-entity register, {facts // 4:,} → {facts:,} facts",
        f"{small_n:.2f} → {large:.2f} s CPU = {growth:.2f}× without the start-up (4× is linear)",
    )
    over_floor = large / floor
    table.add(
        "`check` with the 5,000-entity register vs the YAML parse floor",
        f"{over_floor:.1f}× ({(large - start_up) / floor:.1f}× without the {start_up:.2f} s start-up)",
        "≤ 4×",
        over_floor <= 4,
    )


class _Printer:
    def add(self, what: str, figure: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else (" met" if met else " NOT met")
        print(f"  {what}: {figure}" + (f"  (target {target}{verdict})" if target else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        measure_register(_Printer(), Path(work), args.facts, args.reps)


if __name__ == "__main__":
    main()
