"""What an app adds to the parts of Panmun that every app shares: its entries in the navigation and
its part of the demo. An app declares them on its `AppConfig` (a `PanmunAppConfig`) by dotted
path, so `web` finds them without importing the app by name, and a new app needs no edit of `web`
(docs/architecture.md, "Adding an app")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation: shown to a user for whom `allowed` (the dotted path of a
    predicate in the app's access.py) holds; `key` marks it active on the pages under its URL."""

    key: str
    label: Promise | str
    url_name: str
    allowed: str


@dataclass
class DemoRun:
    """What `panmun load-demo` hands each app's demo loader: the size asked for (the registry's
    applicants; 0 for the smallest demo), how many of them live (None: in proportion), a way to
    show progress (`progress(total, label)` gives a `jobs.progress` object) and to report a
    line of what was loaded; `complex_workers`, the size of the complex's rosters."""

    size: int
    living: int | None
    progress: Callable[[int, str], Any]
    say: Callable[[str], None]
    #: The workers of the Gaeseong complex's demo (0: its firms without rosters or payrolls).
    complex_workers: int = 0


class PanmunAppConfig(AppConfig):
    """An app of Panmun. `navigation`: its links, in order, placed among the other apps' by
    `navigation_order` (lower first). `demo_loader`: the dotted path of a function
    `(DemoRun) -> None` that loads its demo data (idempotent), run in `demo_order` (lower first)
    after the personas are made.

    An app's apps.py imports this module, not the class: Django takes the one AppConfig class
    an apps.py holds as the app's, and falls back to a bare AppConfig when it finds two."""

    navigation: tuple[NavItem, ...] = ()
    navigation_order: int = 100
    # The kinds of organisation (accounts.models.OrganisationKind) whose programme this app runs
    # with steps a second person approves (결재): their officers get the Approvals link.
    serves: tuple[str, ...] = ()
    # Its audit action codes in words, Korean and English: {"permits.approval.submit": (ko, en)}.
    audit_actions: dict[str, tuple[str, str]] = {}
    # The dotted path of a function `(user) -> list[common.work.Task]`: the app's lines of the
    # home page's work queue ("" for none).
    work_queue: str = ""
    demo_loader: str = ""
    demo_order: int = 100
    # The dotted path of a function `() -> int` the liaison runner calls after each round, to
    # take up what the other side's log brought (its answers to this app's entries); it
    # returns how many records it changed ("" for none).
    after_liaison_round: str = ""


def signed_in(user: Any) -> bool:
    """For a link every signed-in user sees."""
    return bool(getattr(user, "is_authenticated", False))


def panmun_apps() -> Iterator[PanmunAppConfig]:
    """The installed apps of Panmun, in the order of `INSTALLED_APPS`."""
    for config in apps.get_app_configs():
        if isinstance(config, PanmunAppConfig):
            yield config


def audit_action_words() -> dict[str, tuple[str, str]]:
    """Every app's audit action codes in words (`accounts.audit` reads its own first)."""
    return {code: words for config in panmun_apps() for code, words in config.audit_actions.items()}


def served_kinds() -> set[str]:
    """The kinds of organisation whose programme an installed app runs."""
    return {kind for config in panmun_apps() for kind in config.serves}


def navigation_for(user: Any) -> list[tuple[str, Promise | str, str]]:
    """The apps' links `user` may follow: (key, label, URL name)."""
    configs = sorted(panmun_apps(), key=lambda c: c.navigation_order)
    return [
        (item.key, item.label, item.url_name)
        for config in configs
        for item in config.navigation
        if import_string(item.allowed)(user)
    ]


def app_work_queues() -> list[Callable[[Any], list[Any]]]:
    """Each app's work queue function, in the navigation's order."""
    configs = sorted(panmun_apps(), key=lambda c: c.navigation_order)
    return [import_string(c.work_queue) for c in configs if c.work_queue]


def liaison_followers() -> list[tuple[str, Callable[[], int]]]:
    """Each app's `after_liaison_round` function: (app label, function)."""
    return [
        (c.label, import_string(c.after_liaison_round))
        for c in panmun_apps()
        if c.after_liaison_round
    ]


def demo_loaders() -> list[tuple[str, Callable[[DemoRun], None]]]:
    """Each app's demo loader, in the order they run: (app label, loader)."""
    configs = sorted(
        (c for c in panmun_apps() if c.demo_loader), key=lambda c: (c.demo_order, c.label)
    )
    return [(c.label, import_string(c.demo_loader)) for c in configs]
