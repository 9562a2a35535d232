"""Read feeds.yml as YAML, remembering where each value came from, and report problems.

Every problem must name the file, the line and the field (feeds.yml issue), so the YAML is
composed into nodes, which carry their marks, rather than loaded straight into Python data.
Only SafeLoader tags are read; aliases are refused. Knows nothing of the schema (catalog.py
holds it). No I/O.
"""

import difflib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import yaml
from pydantic_core import ErrorDetails

MAX_DEPTH = 16  # the schema nests 4 deep; deeper is a mistake or an attack

YamlPath = tuple[str | int, ...]
Key = TypeVar("Key", bound=Hashable)

_YAML = "tag:yaml.org,2002:"
_TEXT_TAGS = {_YAML + "str", _YAML + "value", _YAML + "merge"}  # "=" and "<<" are text here
_VALUE_TAGS = {_YAML + name for name in ("int", "float", "bool", "null", "timestamp")}
_ALIAS_TAG = "!alias"  # stands in for a refused alias until the reader reports it
INVALID = object()  # the value of a node that could not be read; already reported


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with the file: 1-based line and column, field like feeds[3].url."""

    line: int | None
    column: int | None
    field: str
    message: str

    def format(self, path: str) -> str:
        """The "feeds.yml:12:7: feeds[3].url: message" line."""
        where = path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class CatalogError(ValueError):
    """feeds.yml is invalid; str() gives one line per problem."""

    def __init__(self, path: str, problems: Sequence[CatalogProblem]) -> None:
        super().__init__(path, tuple(problems))
        self.path = path
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(problem.format(self.path) for problem in self.problems)


class CatalogReadError(CatalogError):
    """The file could not be read at all (missing, unreadable, a directory)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing.

    Aliases would let a small file expand without bound and put errors at the anchor's line;
    the catalog's defaults block covers what they would share.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            return yaml.ScalarNode(_ALIAS_TAG, "", event.start_mark, event.end_mark)
        if self.depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            message = f"nested deeper than {MAX_DEPTH} levels"
            raise yaml.composer.ComposerError(None, None, message, mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def compose(text: str, source: str) -> yaml.Node | None:
    """The root node of the single YAML document in text, None if it holds none.

    Raises CatalogError with the line of a syntax error or forbidden character.
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # checks for forbidden characters right away
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        detail = "; ".join(part for part in (exc.context, exc.problem) if part)
        problem = CatalogProblem(line, column, "", f"YAML syntax error: {detail}")
        raise CatalogError(source, [problem]) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        char = exc.character if isinstance(exc.character, int) else 0
        message = f"character U+{char:04X} is not allowed in YAML"
        raise CatalogError(source, [CatalogProblem(line, column, "", message)]) from exc
    finally:
        if loader is not None:
            loader.dispose()


@dataclass(frozen=True)
class _Where:
    key: yaml.Mark | None  # where the mapping key starts, if the value sits under one
    value: yaml.Mark
    text: str | None  # source of a plain scalar, for the "YAML reads NO as false" hint


class LocatedYaml:
    """Turns composed nodes into plain data and collects problems with their line and field.

    known_keys(path) lists the keys the schema allows in the mapping at path, for hints.
    """

    def __init__(self, known_keys: Callable[[YamlPath], Sequence[str]]) -> None:
        self.known_keys = known_keys
        self.problems: list[CatalogProblem] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._where: dict[YamlPath, _Where] = {}
        self._unreadable: set[YamlPath] = set()

    def report(self, path: YamlPath, message: str, *, at_key: bool = False) -> None:
        line, column = self.locate(path, at_key=at_key)
        self.problems.append(CatalogProblem(line, column, field_name(path), message))

    def locate(self, path: YamlPath, *, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of path's value (or key), else of its nearest parent (missing keys)."""
        while (where := self._where.get(path)) is None and path:
            path = path[:-1]
        if where is None:
            return None, None
        mark = where.key if at_key and where.key else where.value
        return mark.line + 1, mark.column + 1

    def build(self, node: yaml.Node, path: YamlPath = (), key: yaml.Mark | None = None) -> object:
        """Plain data for node; values that cannot be read become INVALID, reported once."""
        plain = isinstance(node, yaml.ScalarNode) and node.style is None
        self._where[path] = _Where(key, node.start_mark, node.value if plain else None)
        if isinstance(node, yaml.MappingNode) and node.tag == _YAML + "map":
            return self._build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _YAML + "seq":
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_TAGS:
            return node.value
        if isinstance(node, yaml.ScalarNode) and node.tag in _VALUE_TAGS:
            try:
                return self._constructor.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError):
                message = f"cannot read the value {node.value[:40]!r}"
        elif node.tag == _ALIAS_TAG:
            message = "YAML aliases (*name) are not supported; write the value out"
        else:
            message = f"YAML tag {node.tag} is not supported; use plain values"
        self._unreadable.add(path)
        self.report(path, message)
        return INVALID

    def _build_mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, object]:
        result: dict[str, object] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _ALIAS_TAG:
                problem = CatalogProblem(line, column, field_name(path), "keys must be plain words")
                self.problems.append(problem)
                continue
            key = key_node.value
            if key in first_lines:
                message = f"duplicate key {key!r}; first given on line {first_lines[key]}"
                self.problems.append(CatalogProblem(line, column, field_name((*path, key)), message))
                continue
            first_lines[key] = line
            result[key] = self.build(value_node, (*path, key), key_node.start_mark)
        return result

    def report_validation_error(self, error: ErrorDetails) -> None:
        """Report one pydantic error at the line of its loc, unless the YAML layer did already."""
        path = tuple(error["loc"])
        if any(path[:length] in self._unreadable for length in range(len(path) + 1)):
            return
        if error["type"] == "extra_forbidden":
            known = list(self.known_keys(path[:-1]))
            close = difflib.get_close_matches(str(path[-1]), known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(known)}"
            self.report(path, f"unknown key {path[-1]!r}; {hint}", at_key=True)
        elif error["type"] == "missing":
            self.report(path, "is required but missing")
        else:
            where = self._where.get(path)
            self.report(path, _validation_message(error, where.text if where else None))

    def check_unique(self, seen: dict[Key, int], key: Key, path: YamlPath, what: str) -> None:
        """Report path, whose second part is a list index, if an earlier entry had this key."""
        index = path[1]
        assert isinstance(index, int)
        first = seen.setdefault(key, index)
        if first != index:
            line, _ = self.locate((path[0], first, *path[2:]))
            self.report(path, f"repeats the {what} of {path[0]}[{first}] on line {line}")


_EXPECTED = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a mapping of keys to values",
    "dict_type": "must be a mapping of keys to values",
}


def _validation_message(error: ErrorDetails, plain_text: str | None) -> str:
    kind, value, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "literal_error":
        return f"must be one of {ctx['expected']}, got {describe(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} items"
    if kind not in _EXPECTED:
        return str(error["msg"])
    message = f"{_EXPECTED[kind]}, got {describe(value)}"
    if kind == "string_type" and plain_text:
        message += f'; YAML reads {plain_text} that way, so write "{plain_text}" in quotes'
    return message


def field_name(path: YamlPath) -> str:
    """("feeds", 3, "url") -> "feeds[3].url"."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else part
    return name


def describe(value: object) -> str:
    """A value as an operator would recognise it in the file, for "got ..." messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}" if abs(value) < 10**15 else "a very large number"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value that could not be read"
