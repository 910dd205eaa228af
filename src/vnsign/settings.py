"""Settings from ``vnsign.toml`` or ``[tool.vnsign]`` in ``pyproject.toml``.

A document store checked in CI keeps its rules next to the documents, so the CI job
is just ``vnsign batch docs/``. Lookup: an explicit ``--config FILE``; otherwise
``vnsign.toml`` in the current folder (top-level keys, or a ``[tool.vnsign]`` table);
otherwise ``pyproject.toml``'s ``[tool.vnsign]``. Command-line options override the
file. Relative paths are relative to the file's folder. An unknown key or a wrong type
is an error: a misspelt ``require-signatures`` must not silently relax a CI gate.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnsign.errors import SettingsError

# key → (python parameter name, kind). Kinds: bool, int, float, str, path, paths,
# and choice:<a>|<b>.
KEYS: dict[str, tuple[str, str]] = {
    "trust": ("trust_paths", "paths"),
    "other-certs": ("other_paths", "paths"),
    "no-saved-trust": ("no_saved_trust", "bool"),
    "offline": ("offline", "bool"),
    "no-aia": ("no_aia", "bool"),
    "require-revocation": ("require_revocation", "bool"),
    "timeout": ("network_timeout", "float"),
    "network-timeout": ("network_timeout", "float"),
    "at": ("validation_time", "str"),
    "time-limit": ("time_limit", "float"),
    "visual-check": ("visual_check", "bool"),
    "strict-algorithms": ("strict_algorithms", "bool"),
    "ocr": ("ocr", "choice:auto|always|never"),
    "memory-limit": ("memory_limit", "int"),
    "workers": ("workers", "int"),
    "ledger": ("ledger", "path"),
    "reports": ("reports", "paths"),
    "fail-on": ("fail_on", "choice:failed|indeterminate|warning"),
    "require-signatures": ("require_signatures", "int"),
    "require-agency-signature": ("require_agency_signature", "bool"),
    "lang": ("lang", "choice:vi|en"),
    "dask": ("dask", "str"),
}


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any] = field(default_factory=dict)  # python parameter name → value
    source: Path | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def _convert(key: str, kind: str, value: Any, base: Path, origin: str) -> Any:
    def wrong(expected: str) -> SettingsError:
        return SettingsError(f"{origin}: '{key}' must be {expected}, not {value!r}")

    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise wrong("a whole number ≥ 0")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise wrong("a number ≥ 0")
        return float(value)
    if kind == "str":
        if not isinstance(value, str):
            raise wrong("a string")
        return value
    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1].split("|")
        if value not in choices:
            raise wrong(" or ".join(repr(c) for c in choices))
        return value
    if kind == "path":
        if not isinstance(value, str):
            raise wrong("a path (string)")
        return str(base / os.path.expanduser(value))
    if kind == "paths":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise wrong("a path or a list of paths")
        return tuple(str(base / os.path.expanduser(i)) for i in items)
    raise AssertionError(kind)


def parse(table: dict[str, Any], base: Path, origin: str) -> Settings:
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise SettingsError(f"{origin}: unknown key '{raw_key}' (known: {known})")
        name, kind = KEYS[key]
        values[name] = _convert(key, kind, value, base, origin)
    return Settings(values=values, source=Path(origin))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from exc


def load(explicit: str | os.PathLike[str] | None = None,
         cwd: str | os.PathLike[str] | None = None) -> Settings:
    """The settings in force (empty when no file provides any)."""
    if explicit is not None:
        path = Path(explicit)
        data = _read(path)
        table = data.get("tool", {}).get("vnsign", data) if "tool" in data else data
        return parse(table, path.parent.resolve(), str(path))
    folder = Path(cwd) if cwd is not None else Path.cwd()
    own = folder / "vnsign.toml"
    if own.is_file():
        data = _read(own)
        table = data.get("tool", {}).get("vnsign", data) if "tool" in data else data
        return parse(table, folder.resolve(), str(own))
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("vnsign")
        if isinstance(table, dict):
            return parse(table, folder.resolve(), f"{pyproject} [tool.vnsign]")
    return Settings()
