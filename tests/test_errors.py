"""The coded error catalogue: every message formats, codes are unique and used correctly."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from rearguard import errors
from rearguard.errors import (
    Errors,
    EvalDataError,
    GazetteerError,
    InputError,
    ModelError,
    RearguardError,
    SettingsError,
)

CODE = re.compile(r"E\d{3}")
PACKAGE = Path(errors.__file__).resolve().parent
CODES = sorted(name for name in vars(Errors) if CODE.fullmatch(name))
SUBCLASSES = [InputError, GazetteerError, ModelError, SettingsError, EvalDataError]


def _fields(template: str) -> set[str]:
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is None:
            continue
        name = re.split(r"[.\[!:]", field, maxsplit=1)[0]
        assert name and not name.isdigit(), f"positional field in {template!r}"
        names.add(name)
    return names


def test_catalogue_is_not_empty() -> None:
    assert len(CODES) >= 10
    assert "E101" in CODES and "E401" in CODES


@pytest.mark.parametrize("code", CODES)
def test_every_message_formats(code: str) -> None:
    template = getattr(Errors, code)
    assert isinstance(template, str) and template.strip()
    fields = _fields(template)
    dummy = {name: f"<{name}>" for name in fields}
    err = RearguardError(code, **dummy)
    assert err.code == code
    assert err.details == dummy
    assert err.message.startswith(f"[{code}] ")
    assert err.message == f"[{code}] " + template.format(**dummy)
    assert str(err) == err.message
    assert "\n" not in err.message
    for name in fields:
        assert f"<{name}>" in err.message


@pytest.mark.parametrize("code", [c for c in CODES if _fields(getattr(Errors, c))])
def test_missing_keyword_is_an_error(code: str) -> None:
    with pytest.raises(KeyError):
        RearguardError(code)


def test_codes_are_unique() -> None:
    """Assigning a code twice in the class body would silently drop the first message."""
    tree = ast.parse(Path(errors.__file__).read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Errors"]
    assigned = [t.id for n in cls.body if isinstance(n, ast.Assign)
                for t in n.targets if isinstance(t, ast.Name)]
    codes = [name for name in assigned if CODE.fullmatch(name)]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicates, f"codes assigned twice in Errors: {duplicates}"
    assert sorted(codes) == CODES
    messages = [getattr(Errors, c) for c in CODES]
    assert len(set(messages)) == len(messages), "two codes share one message"


def test_code_ranges_match_classes() -> None:
    """E1xx input, E2xx gazetteer, E3xx models, E4xx settings, E5xx evaluation data,
    E6xx the event classifier, E7xx the dataset store."""
    assert {c[1] for c in CODES} <= set("1234567")


@pytest.mark.parametrize("cls", SUBCLASSES, ids=lambda c: c.__name__)
def test_subclasses_are_rearguard_errors(cls: type[RearguardError]) -> None:
    assert issubclass(cls, RearguardError)
    assert issubclass(cls, Exception)
    code = CODES[0]
    err = cls(code, **{name: "x" for name in _fields(getattr(Errors, code))})
    assert isinstance(err, RearguardError)
    assert err.code == code and err.message.startswith(f"[{code}] ")


def test_value_error_subclasses() -> None:
    assert issubclass(InputError, ValueError)
    assert issubclass(SettingsError, ValueError)


def _raise_sites() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, keyword names or None when **kwargs is used) of each
    ``SomethingError("E###", ...)`` call in the package."""
    names = {"RearguardError", *(c.__name__ for c in SUBCLASSES)}
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in names or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            keywords: set[str] | None = {k.arg for k in node.keywords if k.arg is not None}
            if any(k.arg is None for k in node.keywords):
                keywords = None
            rel = str(path.relative_to(PACKAGE.parent))
            sites.append((rel, node.lineno, first.value, keywords))
    return sites


def test_raise_sites_use_known_codes_with_the_right_keywords() -> None:
    sites = _raise_sites()
    assert sites, "no raise sites found"
    problems = []
    for rel, line, code, keywords in sites:
        if not hasattr(Errors, code) or not CODE.fullmatch(code):
            problems.append(f"{rel}:{line}: unknown code {code!r}")
            continue
        if keywords is None:
            continue
        fields = _fields(getattr(Errors, code))
        if missing := fields - keywords:
            problems.append(f"{rel}:{line}: {code} needs {sorted(missing)}")
    assert not problems, "\n".join(problems)
