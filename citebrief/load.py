"""Load stage: files on disk become plain values that remember where they came from.

YAML goes through PyYAML's node tree, not ``safe_load``, so that every value keeps its
line, duplicate keys are reported instead of silently overwritten, and anchors and
aliases (the "billion laughs" construction) are refused outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Location, Problem, error

Path_ = tuple[Any, ...]


@dataclass
class Loaded:
    """A YAML document as plain Python values, with the location of every node."""

    value: Any
    locations: dict[Path_, Location] = field(default_factory=dict)
    key_locations: dict[Path_, Location] = field(default_factory=dict)

    def at(self, path: Path_) -> Location:
        """The location of the node at ``path`` or of its nearest ancestor."""
        while path not in self.locations and path:
            path = path[:-1]
        return self.locations[path]

    def key_at(self, path: Path_) -> Location:
        return self.key_locations.get(path) or self.at(path)


class _RefusedConstruct(yaml.MarkedYAMLError):
    pass


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's safe loader where available (about ten times faster than pure Python).

    Anchors and aliases are refused by ``_refuse_anchors`` before composing; only
    true/false are read as booleans (YAML 1.1 also reads yes/no/on/off: the "Norway
    problem").
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _refuse_anchors(text: str) -> None:
    """Anchors and aliases are refused before anything is composed."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            raise _RefusedConstruct(None, None, "aliases (*name) are not allowed", event.start_mark)  # type: ignore[arg-type]
        if getattr(event, "anchor", None) is not None:
            raise _RefusedConstruct(None, None, "anchors (&name) are not allowed", event.start_mark)  # type: ignore[arg-type]


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Loaded | None, list[Problem]]:
    """Parse one YAML document; return it with locations, or None and the syntax problem."""
    try:
        _refuse_anchors(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(Location(path, 1 + line_offset, 1), "yaml-syntax", str(exc))]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(Location(path, 1 + line_offset, 1), "yaml-syntax", str(exc))]
    finally:
        loader.dispose()
    loaded = Loaded(None)
    problems: list[Problem] = []
    if node is not None:
        walker = _Walker(loader, path, line_offset, loaded, problems)
        try:
            loaded.value = walker.to_python(node, ())
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(exc, path, line_offset)]
    else:
        loaded.locations[()] = Location(path, 1 + line_offset, 1)
    return loaded, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    where = Location(path, mark.line + 1 + line_offset, mark.column + 1) if mark else None
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    if isinstance(exc, _RefusedConstruct):
        return error(
            where or Location(path),
            "yaml-alias",
            f"YAML {exc.problem}",
            "write the value out in full; anchors and aliases can make a small file "
            "expand without limit",
        )
    return error(
        where or Location(path),
        "yaml-syntax",
        f"YAML syntax error: {what}",
        "check indentation and quoting on this line and the one before; "
        "a value containing ': ' or starting with a quote must be quoted as a whole",
    )


@dataclass
class _Walker:
    loader: Any
    path: str
    line_offset: int
    loaded: Loaded
    problems: list[Problem]

    def location(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def to_python(self, node: Node, path: Path_) -> Any:
        self.loaded.locations[path] = self.location(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.to_python(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.to_python(key_node, (*path, "<key>"))
            if not isinstance(key, str):
                self.problems.append(
                    error(
                        self.location(key_node),
                        "yaml-key",
                        f"mapping key {key!r} is not a name",
                        "field names are words such as 'id' or 'quote'",
                    )
                )
                continue
            if key in result:
                first = self.loaded.key_locations[(*path, key)]
                self.problems.append(
                    error(
                        self.location(key_node),
                        "yaml-duplicate-key",
                        f"duplicate key '{key}' (first given on line {first.line})",
                        "delete one of the two; YAML would silently keep only the last",
                    )
                )
                continue
            self.loaded.key_locations[(*path, key)] = self.location(key_node)
            result[key] = self.to_python(value_node, (*path, key))
        self.loaded.locations.pop((*path, "<key>"), None)
        return result


@dataclass(frozen=True)
class FrontMatterFile:
    """A text file split into its YAML front matter and its body."""

    path: str
    front_matter: str
    body: str
    front_matter_line: int
    """Line number of the first front-matter line (after the opening '---')."""
    body_line: int


def split_front_matter(text: str, path: str) -> FrontMatterFile | Problem:
    """Split ``---``-delimited front matter from the body, keeping the body's bytes as they are."""
    if not text.startswith("---\n"):
        return error(
            Location(path, 1, 1),
            "front-matter",
            "the file does not start with front matter ('---' on the first line)",
            "put the metadata between two lines of '---' at the top of the file",
        )
    end = text.find("\n---\n", 3)
    if end < 0:
        return error(
            Location(path, 1, 1),
            "front-matter",
            "the front matter is not closed by a line of '---'",
            "add a line containing only '---' after the metadata",
        )
    front = text[4 : end + 1]
    body = text[end + 5 :]
    body_line = text[: end + 5].count("\n") + 1
    return FrontMatterFile(path, front, body, 2, body_line)


def read_text(root: Path, file: Path) -> tuple[str, str] | Problem:
    """Read a UTF-8 file exactly (no newline translation); return (relative path, text)."""
    rel = file.relative_to(root).as_posix()
    try:
        data = file.read_bytes()
    except OSError as exc:
        return error(Location(rel), "read", f"cannot read the file: {exc.strerror}")
    try:
        return rel, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return error(
            Location(rel, line, 1),
            "encoding",
            "the file is not valid UTF-8 text",
            "save the file as UTF-8",
        )
