"""The `panmun` command: load-demo is idempotent; dialogue import/export name the file, item and
field of every problem and write nothing on error."""

import json

import pytest
from django.core.management import CommandError, call_command

from panmun.accounts.models import Organisation, User
from panmun.config.cli import main
from panmun.dialogue.models import Talks


@pytest.mark.django_db
def test_load_demo_twice_does_not_duplicate(capsys):
    from panmun.families.models import Person, TracingRound
    from panmun.permits.models import Application

    call_command("load_demo", registry_size=400, complex_workers=600)
    first = (
        User.objects.count(),
        Organisation.objects.count(),
        Person.objects.count(),
        TracingRound.objects.count(),
        Application.objects.count(),
    )
    call_command("load_demo", registry_size=400, complex_workers=600)
    after = (
        User.objects.count(),
        Organisation.objects.count(),
        Person.objects.count(),
        TracingRound.objects.count(),
        Application.objects.count(),
    )
    # Five exchange applications of the permits demo, two of the aid demo's NGO shipments, and
    # the cooperation-project approvals of the complex's 124 tenant firms, and the 11 crossing
    # applications of the complex's day at the gate (demo_crossings).
    assert after == first and first[:2] == (17, 14) and first[3] == 1
    assert first[4] == 7 + 124 + 11
    assert Person.objects.filter(registry_no__startswith="D-").count() == 400
    assert "panmun-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_cli_accepts_dashed_command_names(capsys):
    main(["load-demo", "--quiet-logins", "--registry-size", "0", "--complex-workers", "0"])
    assert "Demo data loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_bad_file_lists_problems_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "talks": [
                    {
                        "key": "k",
                        "title_ko": "x",
                        "title_en": "x",
                        "level": "nope",
                        "start_date": "2000-01-01",
                    }
                ]
            }
        )
    )
    before = Talks.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("dialogue_import", str(path))
    assert "bad.json talks[0] level" in str(exc.value)
    assert Talks.objects.count() == before


@pytest.mark.django_db
def test_export_then_dry_run_import(tmp_path, capsys):
    out = tmp_path / "record.json"
    call_command("dialogue_export", "--out", str(out))
    call_command("dialogue_import", str(out), "--dry-run")
    assert "nothing written" in capsys.readouterr().out
    assert len(json.loads(out.read_text())["talks"]) == Talks.objects.count()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("dialogue_import", str(tmp_path / "none.json"))
    assert "none.json: cannot be read" in str(exc.value)


@pytest.mark.django_db
def test_import_records_the_named_user_and_checks_their_rights(tmp_path, personas):
    from panmun.accounts.models import AuditEntry

    path = tmp_path / "r.json"
    call_command("dialogue_export", "--out", str(path))
    call_command("dialogue_import", str(path), "--user", "ministry")
    assert AuditEntry.objects.get(action="dialogue.record.import").actor == personas["ministry"]
    with pytest.raises(CommandError, match="You do not have permission"):
        call_command("dialogue_import", str(path), "--user", "viewer")
    with pytest.raises(CommandError):
        call_command("dialogue_import", str(path), "--user", "nobody")
