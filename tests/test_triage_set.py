"""The labelled triage set (tests/triage_set/labels.yaml): precision and recall of triage per
kind of article, and no noise offered. Run with -s to see the figures:

    .venv/bin/python -m pytest tests/test_triage_set.py -s
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import REPO, MiniProject
from test_sources import FIXTURES, add

from citebrief.archive.findings import Finding, Verdict
from citebrief.archive.triage import triage
from citebrief.facts.corpus import Project, load_corpus
from citebrief.model import Corpus

LABELS = Path(__file__).parent / "triage_set" / "labels.yaml"
TARGET = 0.9


def as_news(corpus: Corpus, source_id: str) -> Corpus:
    """The fact base as it was before ``source_id`` arrived: none of its citations."""
    facts = {
        fid: dataclasses.replace(
            f, citations=tuple(c for c in f.citations if c.source != source_id)
        )
        for fid, f in corpus.facts.items()
    }
    return dataclasses.replace(corpus, facts=facts)


def matches(item: dict, finding: Finding) -> bool:
    return (
        finding.location.line == item["line"]
        and " ".join(item["in"].split()) in " ".join(finding.quote.split())
        and item["stated"] in finding.stated
    )


def correct(item: dict, finding: Finding) -> bool:
    expected = item["label"]
    fact = finding.fact.id if finding.fact else None
    return finding.verdict == Verdict(expected) and fact == item.get("fact")


@dataclasses.dataclass
class Score:
    offered: int = 0
    right: int = 0
    expected: int = 0
    noise: list[str] = dataclasses.field(default_factory=list)
    wrong: list[str] = dataclasses.field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.offered if self.offered else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def score_article(article: dict, findings: tuple[Finding, ...], score: Score) -> None:
    items = article["items"]
    score.offered += len(findings)
    score.expected += sum(1 for i in items if i["label"] != "noise")
    for finding in findings:
        found = [i for i in items if matches(i, finding)]
        what = f"{article['source']}:{finding.location.line} {finding.stated!r} {finding.verdict.value}"
        what += f" {finding.fact.id}" if finding.fact else ""
        if any(i["label"] == "noise" for i in found):
            score.noise.append(what)
        elif any(correct(i, finding) for i in found):
            score.right += 1
        else:
            expected = found[0] if found else None
            label = (
                f"{expected['label']} {expected.get('fact', '')}" if expected else "not labelled"
            )
            score.wrong.append(f"{what} (labelled: {label.strip()})")
    for item in items:
        if item["label"] != "noise" and not any(matches(item, f) for f in findings):
            score.wrong.append(
                f"{article['source']}:{item['line']} {item['stated']!r} not offered "
                f"(labelled: {item['label']} {item.get('fact', '')})".rstrip()
            )


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    root = tmp_path_factory.mktemp("news-day") / "real"
    root.mkdir()
    for name in ("sources", "briefings", "templates"):
        import shutil

        shutil.copytree(REPO / name, root / name)
    (root / "citebrief.toml").write_text((REPO / "citebrief.toml").read_text())
    articles = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    for article in articles:
        if "file" in article:
            code, out = add(
                MiniProject(root), FIXTURES / article["file"], "--id", article["source"]
            )
            assert code == 0, out
    corpus = load_corpus(Project.open(root)).corpus
    by_kind: dict[str, Score] = defaultdict(Score)
    for article in articles:
        findings = triage(corpus.sources[article["source"]], as_news(corpus, article["source"]))
        score_article(article, findings, by_kind[article["kind"]])
    print("\ntriage on the labelled set (precision / recall / noise offered):")
    for kind, s in sorted(by_kind.items()):
        print(
            f"  {kind:38} {s.precision:5.2f} {s.recall:5.2f} {len(s.noise)}  ({s.right} right of {s.offered} offered, {s.expected} expected)"
        )
        for line in s.wrong + s.noise:
            print(f"      {line}")
    return dict(by_kind)


def test_no_noise_is_offered(scores: dict[str, Score]) -> None:
    assert [n for s in scores.values() for n in s.noise] == []


def test_precision_and_recall_meet_the_target_over_the_set(scores: dict[str, Score]) -> None:
    total = Score()
    for s in scores.values():
        total.offered += s.offered
        total.right += s.right
        total.expected += s.expected
    print(f"  all: precision {total.precision:.2f}, recall {total.recall:.2f}")
    assert total.precision >= TARGET and total.recall >= TARGET
