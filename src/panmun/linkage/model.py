"""A trained model, saved as one JSON file, versioned, and loaded again to score new lists.

The file holds the profile (what is compared), Splink's own model (comparisons with their m
and u, the prior, the blocking rules), the default threshold and how the model was trained.
`version` is a digest of what decides the scores, so two files with the same version score
every pair alike. A `ModelStore` keeps the numbered versions of named models in a folder
(`NAME/v1.json`, `NAME/v2.json`, …); nothing there is ever overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .profiles import Profile, profile_from

FORMAT = "panmun-linkage-model"
FORMAT_VERSION = 1
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_VERSION_FILE = re.compile(r"v([1-9][0-9]*)\.json")
# Splink fields that do not change a score (an id of the linker that wrote it).
_NOT_SCORING = ("linker_uid",)


class ModelError(ValueError):
    """A model file that cannot be used, naming the file and what is wrong."""


@dataclass(frozen=True)
class Model:
    profile: Profile
    splink: dict[str, Any]
    threshold: float
    training: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""

    @property
    def link_type(self) -> str:
        return str(self.splink["link_type"])

    @property
    def version(self) -> str:
        """A digest of everything that decides a score."""
        scoring = {k: v for k, v in self.splink.items() if k not in _NOT_SCORING}
        document = {
            "profile": self.profile.name,
            "options": self.profile.options(),
            "threshold": self.threshold,
            "splink": scoring,
        }
        canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "version": self.version,
            "created_at": self.created_at,
            "splink_version": package_version("splink"),
            "profile": {"name": self.profile.name, "options": self.profile.options()},
            "threshold": self.threshold,
            "training": self.training,
            "splink": self.splink,
        }

    def save(self, path: Path) -> None:
        """Write the model to `path` through a temporary file, so no half file is ever seen."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text + "\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def from_dict(cls, data: Any, source: str) -> Model:
        def fail(message: str) -> ModelError:
            return ModelError(f"{source}: {message}")

        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise fail(f'not a Panmun linkage model (no "format": "{FORMAT}")')
        if data.get("format_version") != FORMAT_VERSION:
            raise fail(f"format_version {data.get('format_version')!r} is not {FORMAT_VERSION}")
        profile = data.get("profile")
        splink = data.get("splink")
        threshold = data.get("threshold")
        if not isinstance(profile, dict) or not isinstance(profile.get("name"), str):
            raise fail("field profile: an object with a name is required")
        if not isinstance(splink, dict) or not isinstance(splink.get("comparisons"), list):
            raise fail("field splink: Splink's model object with its comparisons is required")
        if splink.get("link_type") not in ("link_only", "dedupe_only"):
            raise fail("field splink.link_type: must be link_only or dedupe_only")
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise fail("field threshold: a number is required")
        if not 0 <= threshold <= 1:
            raise fail("field threshold: must be between 0 and 1")
        try:
            built = profile_from(profile["name"], profile.get("options") or {})
        except (ValueError, KeyError, TypeError) as exc:
            raise fail(f"field profile: {exc}") from exc
        model = cls(
            profile=built,
            splink=splink,
            threshold=float(threshold),
            training=dict(data.get("training") or {}),
            created_at=str(data.get("created_at") or ""),
        )
        if data.get("version") not in (None, model.version):
            raise fail(
                f"field version: the file says {data['version']!r} but its content is "
                f"{model.version!r} (the file was edited)"
            )
        return model

    @classmethod
    def load(cls, path: Path) -> Model:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ModelError(f"{path}: cannot be read ({exc.strerror})") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: not JSON ({exc})") from exc
        return cls.from_dict(data, str(path))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredModel:
    name: str
    number: int
    path: Path


class ModelStore:
    """Named models, each with numbered versions that are never overwritten."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _folder(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise ModelError(
                f"{name!r} is not a model name (lower-case letters, digits, '_', '-', '.')"
            )
        return self.directory / name

    def versions(self, name: str) -> list[StoredModel]:
        folder = self._folder(name)
        found = []
        if folder.is_dir():
            for path in folder.iterdir():
                match = _VERSION_FILE.fullmatch(path.name)
                if match:
                    found.append(StoredModel(name, int(match.group(1)), path))
        return sorted(found, key=lambda s: s.number)

    def save(self, model: Model, name: str) -> StoredModel:
        """Store `model` as the next version of `name`; the same model again is not stored twice."""
        existing = self.versions(name)
        if existing and Model.load(existing[-1].path).version == model.version:
            return existing[-1]
        folder = self._folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        number = existing[-1].number + 1 if existing else 1
        path = folder / f"v{number}.json"
        # Claim the number first, so two writers cannot both take it.
        with path.open("x", encoding="utf-8"):
            pass
        model.save(path)
        return StoredModel(name, number, path)

    def load(self, name: str, number: int | None = None) -> tuple[Model, StoredModel]:
        """The given version of `name`, or its latest."""
        existing = self.versions(name)
        if number is not None:
            existing = [s for s in existing if s.number == number]
        if not existing:
            which = f"version {number} of " if number is not None else ""
            raise ModelError(f"no {which}model named {name!r} in {self.directory}")
        stored = existing[-1]
        return Model.load(stored.path), stored
