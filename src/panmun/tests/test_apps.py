"""What the apps declare for the shared parts (panmun.common.apps): each app is loaded with its
own AppConfig — Django falls back to a bare one, silently, when an apps.py holds two classes —
and the navigation and the demo find the apps' parts in their order."""

from __future__ import annotations

from django.apps import AppConfig, apps

from panmun.common.apps import demo_loaders, panmun_apps


def test_every_panmun_app_is_loaded_with_its_own_config():
    for config in apps.get_app_configs():
        if config.name.startswith("panmun."):
            assert type(config) is not AppConfig, config.name


def test_the_domain_apps_declare_their_parts():
    declared = {c.label for c in panmun_apps()}
    assert {"dialogue", "families", "reunion", "liaison", "jobs", "permits", "aid"} <= declared
    assert "web" not in declared and "accounts" not in declared  # the shell and the base


def test_the_demo_runs_the_liaison_office_first_then_the_registry_then_the_reunions():
    # then the exchange approvals, which need only the personas, then the aid ledger, whose
    # shipments go through them and through the liaison record, then the Gaeseong complex,
    # whose firms operate under the exchange approvals
    assert [label for label, _load in demo_loaders()] == [
        "liaison",
        "families",
        "reunion",
        "permits",
        "aid",
        "complex",
    ]
