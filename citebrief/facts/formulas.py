"""Computed figures as written in a fact file: one typed formula each, checked for shape.

`sum: [a, b]`, `share: {part: a, of: [a, b]}`, `difference: [a, b]`, `ratio: [a, b]` and
`change: {from: a, to: b}` become the tagged union of ``model.Formula``. What can be told
from the entry alone is checked here (the part is in the whole, no input twice, a sum or a
share of more than one input); what needs the other facts (units, subjects, the range of
the result) is checked once the corpus is loaded (``claims.computed``).
"""

from __future__ import annotations

from typing import Any

from ..errors import Location, Problem, error
from ..model import Change, Derived, Difference, Formula, Ratio, Share, Sum
from .load import Loaded
from .schema import FORMULA_KEYS, DerivedEntry

Path_ = tuple[Any, ...]


def is_computed(entry: Any) -> bool:
    """Whether a fact-file entry is a computed figure (old or new syntax)."""
    return isinstance(entry, dict) and (
        "formula" in entry or any(key in entry for key in FORMULA_KEYS)
    )


def old_syntax(entry: dict[str, Any], loaded: Loaded, path: Path_) -> Problem:
    """The retired `formula: sum` + `inputs:` form, with the new form for the same inputs."""
    formula = entry.get("formula")
    inputs = entry.get("inputs")
    ids = [str(i) for i in inputs] if isinstance(inputs, list) else []
    listed = ", ".join(ids) if ids else "a, b"
    if formula == "share" and ids:
        new = f"share: {{part: {ids[0]}, of: [{', '.join(ids[1:]) or ids[0]}]}}"
    elif formula == "sum":
        new = f"sum: [{listed}]"
    else:
        new = "sum: [a, b], share: {part: a, of: [a, b]}, difference: [a, b], ratio: [a, b] or change: {from: a, to: b}"
    return error(
        loaded.key_at((*path, "formula")),
        "old-formula",
        "'formula:' and 'inputs:' are no longer read: a computed figure names its formula as a key",
        f"write '{new}' in their place, and remove 'unit:' (it comes from the inputs)",
    )


def read_computed(
    entry: dict[str, Any], loaded: Loaded, path: Path_, parsed: DerivedEntry
) -> tuple[Derived | None, list[Problem]]:
    """The typed computed figure, or the located problems of its formula."""
    given = [key for key in FORMULA_KEYS if getattr(parsed, key) is not None]
    if len(given) > 1:
        return None, [
            error(
                loaded.key_at((*path, given[1])),
                "formula-shape",
                f"computed figure '{parsed.id}' has two formulas ({given[0]} and {given[1]})",
                "keep one formula per computed figure; give the other its own id",
            )
        ]
    key = given[0]
    formula, ids, id_paths = _formula(parsed, key)
    where = [loaded.at((*path, *p)) for p in id_paths]
    problems = _shape_problems(parsed.id, formula, ids, where, loaded.key_at((*path, key)))
    if problems:
        return None, problems
    return Derived(
        id=parsed.id,
        label=parsed.label,
        formula=formula,
        compare_with=parsed.compare_with or "",
        location=loaded.at(path),
        input_locations=tuple(where[ids.index(i)] for i in formula.inputs),
    ), []


def _formula(parsed: DerivedEntry, key: str) -> tuple[Formula, list[str], list[Path_]]:
    """The formula, every id as written, and the path of each within the entry."""
    if parsed.sum is not None:
        ids = list(parsed.sum)
        return Sum(tuple(ids)), ids, [("sum", i) for i in range(len(ids))]
    if parsed.share is not None:
        ids = [parsed.share.part, *parsed.share.of]
        paths = [("share", "part"), *[("share", "of", i) for i in range(len(parsed.share.of))]]
        return Share(parsed.share.part, tuple(parsed.share.of)), ids, paths
    if parsed.change is not None:
        ids = [parsed.change.from_, parsed.change.to]
        return Change(ids[0], ids[1]), ids, [("change", "from"), ("change", "to")]
    pair = parsed.difference if key == "difference" else parsed.ratio
    assert pair is not None
    made: Formula = Difference(pair[0], pair[1]) if key == "difference" else Ratio(pair[0], pair[1])
    return made, list(pair), [(key, 0), (key, 1)]


def _shape_problems(
    fid: str, formula: Formula, ids: list[str], where: list[Location], key: Location
) -> list[Problem]:
    if isinstance(formula, Share):
        return _share_problems(fid, formula, where, key)
    seen: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in seen:
            return [
                error(
                    where[index],
                    "formula-repeats",
                    f"computed figure '{fid}' uses '{item}' twice in its {formula.kind}",
                    "list each fact once: a figure counted twice makes the result wrong",
                )
            ]
        seen[item] = index
    if isinstance(formula, Sum) and len(ids) < 2:
        return [
            error(
                key,
                "formula-one-input",
                f"computed figure '{fid}' is a sum of one fact, which is that fact itself",
                "list two or more facts to add, or refer to the fact itself with [[its.id]]",
            )
        ]
    return []


def _share_problems(fid: str, share: Share, where: list[Location], key: Location) -> list[Problem]:
    seen: set[str] = set()
    for index, item in enumerate(share.of):
        if item in seen:
            return [
                error(
                    where[index + 1],
                    "formula-repeats",
                    f"computed figure '{fid}' lists '{item}' twice in the whole of its share",
                    "list each part of the whole once: a part counted twice makes the share wrong",
                )
            ]
        seen.add(item)
    if share.part not in seen:
        return [
            error(
                where[0],
                "share-part-outside",
                f"the part '{share.part}' of computed figure '{fid}' is not in its whole "
                f"({', '.join(share.of)})",
                f"add '{share.part}' to 'of:': the whole is every part, this one included",
            )
        ]
    if len(share.of) < 2:
        return [
            error(
                key,
                "formula-one-input",
                f"computed figure '{fid}' is a share of a whole of one fact, which is always 100%",
                "list every part of the whole in 'of:'",
            )
        ]
    return []
