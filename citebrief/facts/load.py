"""Load stage: files on disk become plain values that remember where they came from.

YAML is built from libyaml's parser events, not ``safe_load``, so that every value keeps
its line, duplicate keys are reported instead of silently overwritten, and anchors and
aliases (the "billion laughs" construction) are refused outright; one pass does it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..common.files import UnsafeFile, read_confined
from ..errors import Location, Problem, error, in_quotes

Path_ = tuple[Any, ...]


@dataclass
class Loaded:
    """A YAML document as plain Python values, with the position of every node."""

    value: Any
    path: str = ""
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """(line, column) of each node by its path of keys and indexes; made into a Location
    only when asked for, since most are never needed."""
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    reported: set[Path_] = field(default_factory=set)
    """Paths whose value was already reported as unreadable (not to be reported again)."""

    def at(self, path: Path_) -> Location:
        """The location of the node at ``path`` or of its nearest ancestor."""
        while path not in self.positions and path:
            path = path[:-1]
        return Location(self.path, *self.positions[path])

    def key_at(self, path: Path_) -> Location:
        position = self.key_positions.get(path)
        return Location(self.path, *position) if position else self.at(path)


class _RefusedConstruct(yaml.MarkedYAMLError):
    pass


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's safe loader where available (about ten times faster than pure Python).

    Only its parser and scalar constructors are used: ``_Builder`` makes the values from
    the parser's events in one pass. Only true/false are read as booleans (YAML 1.1 also
    reads yes/no/on/off: the "Norway problem"); dates stay text, read by
    ``values.read_date``, so an impossible date is a located problem, not a crash in PyYAML.
    """


_NOT_IMPLICIT = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _NOT_IMPLICIT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z"), list("tTfF")
)
_STR = "tag:yaml.org,2002:str"
_SCALAR = yaml.ScalarEvent
_PLAIN_TAGS: dict[str, str] = {}
"""Resolved tags of plain scalars seen before (keys, ids, units repeat in every entry)."""


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Loaded | None, list[Problem]]:
    """Parse one YAML document; return it with locations, or None and the syntax problem.

    One pass over the parser's events builds the values and records positions; anchors
    and aliases are refused as they are met, before anything is expanded.
    """
    loaded = Loaded(None, path)
    problems: list[Problem] = []
    loader = _Loader(text)
    builder = _Builder(loader, loaded, problems, line_offset)
    try:
        next_event, feed = loader.get_event, builder.feed
        while (event := next_event()) is not None:  # None after the stream's end
            feed(event)
    except yaml.MarkedYAMLError as exc:
        conflict = first_conflict(text, path, line_offset)
        return None, [conflict or _syntax_problem(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(Location(path, 1 + line_offset, 1), "yaml-syntax", str(exc))]
    finally:
        loader.dispose()
    if not builder.documents:
        loaded.positions[()] = (1 + line_offset, 1)
    return loaded, problems


CONFLICT_START, CONFLICT_END = "<<<<<<<", ">>>>>>>"


def conflict_problem(where: Location) -> Problem:
    """git's marks of an unresolved merge: both versions of the text are still in the file."""
    return error(
        where,
        "merge-conflict",
        "an unresolved merge conflict: git left both versions of the text here",
        f"resolve the merge: keep the words you want, then delete the lines starting "
        f"'{CONFLICT_START}', '=======' and '{CONFLICT_END}'",
    )


def first_conflict(text: str, path: str, line_offset: int = 0) -> Problem | None:
    """The first line of ``text`` that opens or closes a merge conflict, as a problem."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith((CONFLICT_START, CONFLICT_END)):
            return conflict_problem(Location(path, number + line_offset, 1))
    return None


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


class _Frame:
    """A mapping or sequence being built: where it is, and (for a mapping) the key pending."""

    __slots__ = ("key", "key_mark", "path", "value")

    def __init__(self, value: Any, path: Path_ | None) -> None:
        self.value = value
        self.path = path
        """None inside a value that is being dropped (after a duplicate or unusable key)."""
        self.key: Any = _NO_KEY
        self.key_mark: Any = None


_NO_KEY = object()


class _Builder:
    """Turns parser events into plain values, recording each node's line and column."""

    def __init__(
        self, loader: Any, loaded: Loaded, problems: list[Problem], line_offset: int
    ) -> None:
        self.loader, self.loaded, self.problems = loader, loaded, problems
        self.line_offset = line_offset
        self.stack: list[_Frame] = []
        self.documents = 0

    def position(self, mark: Any) -> tuple[int, int]:
        return mark.line + 1 + self.line_offset, mark.column + 1

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is _SCALAR:
            if event.anchor is not None:
                self._refuse_anchor(event)
            # a quoted or block scalar without a tag is a string: only plain or tagged resolve
            if event.tag is None and not event.implicit[0]:
                self.add(event.value, event.start_mark)
            elif event.tag is None and _PLAIN_TAGS.get(event.value) == _STR:
                self.add(event.value, event.start_mark)  # a plain word seen before: text
            else:
                self.add_scalar(event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._refuse_anchor(event)
            value: Any = {} if kind is yaml.MappingStartEvent else []
            path = self.add(value, event.start_mark)
            self.stack.append(_Frame(value, path))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
        elif kind is yaml.AliasEvent:
            raise _RefusedConstruct(None, None, "aliases (*name) are not allowed", event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream",
                    None,
                    "but found another document",
                    event.start_mark,
                )

    def add_scalar(self, event: Any) -> None:
        try:
            value = self.scalar(event)
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. an int of 5,000 digits
            where = Location(self.loaded.path, *self.position(event.start_mark))
            self.problems.append(
                error(
                    where,
                    "yaml-value",
                    f"this value cannot be read: {_first_line(str(exc))}",
                    "write the value as plain text, a date YYYY-MM-DD or an ordinary number",
                )
            )
            path = self.add(None, event.start_mark)
            if path is not None:
                self.loaded.reported.add(path)
            return
        self.add(value, event.start_mark)

    def _refuse_anchor(self, event: Any) -> None:
        if event.anchor is not None:
            raise _RefusedConstruct(None, None, "anchors (&name) are not allowed", event.start_mark)

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _PLAIN_TAGS.get(event.value) if event.implicit[0] else None
            if tag is None:
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                if event.implicit[0] and len(_PLAIN_TAGS) < 10_000:
                    _PLAIN_TAGS[event.value] = tag
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node, deep=True)

    def add(self, value: Any, mark: Any) -> Path_ | None:
        """Put a finished scalar or a new collection in its parent; return its path."""
        stack = self.stack
        if not stack:
            self.loaded.value = value
            self.loaded.positions[()] = (mark.line + 1 + self.line_offset, mark.column + 1)
            return ()
        frame = stack[-1]
        parent = frame.path
        if type(frame.value) is list:
            path = None if parent is None else (*parent, len(frame.value))
            frame.value.append(value)
        elif frame.key is _NO_KEY:  # a key: its position is kept by ``put``, with its value
            frame.key, frame.key_mark = value, mark
            return None if parent is None else (*parent, "<key>")
        else:
            path = self.put(frame, value)
        if path is not None:
            self.loaded.positions[path] = (mark.line + 1 + self.line_offset, mark.column + 1)
        return path

    def put(self, frame: _Frame, value: Any) -> Path_ | None:
        """The value of a mapping entry: kept, or dropped after a problem with its key."""
        key, mark, parent = frame.key, frame.key_mark, frame.path
        frame.key = _NO_KEY
        if parent is None:
            return None
        if type(key) is str and key not in frame.value:  # the usual case, first
            self.loaded.key_positions[(*parent, key)] = (
                mark.line + 1 + self.line_offset,
                mark.column + 1,
            )
            frame.value[key] = value
            return (*parent, key)
        where = Location(self.loaded.path, *self.position(mark))
        if not isinstance(key, str):
            self.problems.append(
                error(
                    where,
                    "yaml-key",
                    f"mapping key {in_quotes(key)} is not a name",
                    "field names are words such as 'id' or 'quote'",
                )
            )
            return None
        if key in frame.value:
            first = self.loaded.key_positions[(*parent, key)]
            self.problems.append(
                error(
                    where,
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first given on line {first[0]})",
                    "delete one of the two; YAML would silently keep only the last",
                )
            )
            return None
        self.loaded.key_positions[(*parent, key)] = self.position(mark)
        frame.value[key] = value
        return (*parent, key)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:120] if text.strip() else "unknown reason"


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
    """Split ``---``-delimited front matter from the body, keeping the body's bytes as they are.

    A byte-order mark and Windows line ends (as some editors save) are accepted.
    """
    text = text.removeprefix("\ufeff")
    opening = re.match(r"---[ \t]*\r?\n", text)
    closing = re.compile(r"\r?\n---[ \t]*\r?\n")
    if opening is None:
        return error(
            Location(path, 1, 1),
            "front-matter",
            "the file does not start with front matter ('---' on the first line)",
            "put the metadata between two lines of '---' at the top of the file",
        )
    end_match = closing.search(text, opening.end() - 1)
    if end_match is None:
        return error(
            Location(path, 1, 1),
            "front-matter",
            "the front matter is not closed by a line of '---'",
            "add a line containing only '---' after the metadata",
        )
    front = text[opening.end() : end_match.start()] + "\n"
    body = text[end_match.end() :]
    body_line = text[: end_match.end()].count("\n") + 1
    return FrontMatterFile(path, front, body, 2, body_line)


def read_text(root: Path, file: Path) -> tuple[str, str] | Problem:
    """Read a UTF-8 file exactly (no newline translation); return (relative path, text).

    Only a regular file inside the project is read, and only up to ``MAX_INPUT_BYTES``
    (see ``files.read_confined``); anything else is a located problem.
    """
    rel = file.relative_to(root).as_posix()
    try:
        data = read_confined(file, root, name="the project")
    except UnsafeFile as exc:
        return error(Location(rel), "unreadable-file", f"not read: {exc.reason}", exc.hint)
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
