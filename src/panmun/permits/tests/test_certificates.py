"""Visit certificates issued, checked against the record (revoked or not), printed; the
certificate key made on first use, private, published in keys.json, rotated; and
`panmun permits keys|verify` with the database."""

from __future__ import annotations

import dataclasses
import json
import stat
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from .. import signing
from ..certificate.document import verify_pdf
from ..certificate.keyring import parse_keys_json
from ..certificate.token import verify_token
from ..certificates import (
    certificate_pdf,
    certificate_status,
    certificates_issue,
    verify,
    verify_certificate_pdf,
)
from ..models import Application, Approval, ApprovalState, Certificate
from ..services.applications import application_submit
from ..services.moves import approval_transition
from .certificate_data import payload_of, with_payload
from .factories import complete_application
from .visits import approved_visit

DAY = timezone.localdate() + timedelta(days=11)  # inside the visits' validity (`data_for`)
URL = "https://panmun.example/verify/"


@pytest.fixture
def key_dir(settings, tmp_path: Path) -> Path:
    settings.PANMUN_PERMITS_KEY_DIR = tmp_path / "permits-keys"
    settings.PANMUN_PERMITS_CREATE_KEYS = True
    return settings.PANMUN_PERMITS_KEY_DIR


def test_issued_one_per_traveller(personas, key_dir: Path) -> None:
    visit, certificates = approved_visit(personas, kinds=("visit", "vehicle"))
    assert [c.traveller.name_ko for c in certificates] == ["김철수", "이영희"]
    year = certificates[0].issued_at.year
    first = int(certificates[0].number.rsplit("-", 1)[1])
    assert [c.number for c in certificates] == [
        f"VC-{year}-{first:06d}",
        f"VC-{year}-{first + 1:06d}",
    ]
    keys = signing.published_keys()
    for certificate in certificates:
        verdict = verify_token(certificate.token, keys, DAY)
        assert verdict.ok
        facts = verdict.facts
        assert facts is not None
        assert (facts.number, facts.name_ko, facts.valid_from, facts.valid_to, facts.multiple) == (
            certificate.number,
            certificate.traveller.name_ko,
            visit.application.start_date,
            visit.application.end_date,
            True,
        )
        assert facts.approvals == (
            ("vehicle", visit.application.reference),
            ("visit", visit.application.reference),
        )
        assert facts.issued_at == certificate.issued_at
        assert certificate.key_id == facts.key_id == keys[0].key_id
    entry = AuditEntry.objects.filter(action="permits.certificate.issue").get()
    assert entry.changes["certificates"] == [c.number for c in certificates]


def test_none_for_other_kinds_or_states(personas, key_dir: Path) -> None:
    application = complete_application(personas["firm"], ["visit", "goods"])
    for approval in application.approvals.all():
        assert certificates_issue(approval=approval) == []  # a draft
    application_submit(actor=personas["firm"], application=application)
    goods = application.approvals.get(kind="goods")
    for move in ("start_review", "approve"):
        goods = approval_transition(actor=personas["ministry"], approval=goods, move=move)
    assert certificates_issue(approval=goods) == []
    assert not Certificate.objects.exists()


def test_refused_without_a_period(personas, key_dir: Path) -> None:
    """A visit in force whose period is gone (a record from before the rules that require it)
    gets no certificate, and says why."""
    visit, _certificates = approved_visit(personas)
    Application.objects.filter(pk=visit.application_id).update(start_date=None, end_date=None)
    before = Certificate.objects.count()
    with pytest.raises(DomainError) as info:
        certificates_issue(approval=Approval.objects.get(pk=visit.pk))
    assert info.value.code == ErrorCode.INVALID_INPUT
    assert info.value.details["errors"][0]["field"] == "start_date"
    assert Certificate.objects.count() == before


def test_status_valid_then_revoked(personas, key_dir: Path) -> None:
    visit, (certificate, _other) = approved_visit(personas)
    status = certificate_status(certificate, DAY)
    assert status.ok and status.revoked is False
    approval_transition(
        actor=personas["supervisor"], approval=visit, move="revoke", ko="취소", en="Revoked"
    )
    status = certificate_status(certificate, DAY)
    assert status.genuine and status.valid_now and status.revoked is True and not status.ok
    assert [r.code for r in status.reasons] == ["certificate_revoked"]
    assert "취소" in status.reasons[0].ko and "revoked" in status.reasons[0].en


def test_an_expired_approval_revokes(personas, key_dir: Path) -> None:
    visit, (certificate, _other) = approved_visit(personas)
    approval_transition(actor=None, approval=visit, move="expire")
    assert verify(certificate.token, DAY).revoked is True


def test_a_newer_certificate_replaces_the_older(personas, key_dir: Path) -> None:
    visit, (old, _other) = approved_visit(personas)
    newer = certificates_issue(approval=Approval.objects.get(pk=visit.pk))
    assert len(newer) == 2 and newer[0].number != old.number
    assert verify(old.token, DAY).revoked is True
    assert verify(newer[0].token, DAY).ok


def test_a_genuine_token_not_on_record(personas, key_dir: Path) -> None:
    _visit, (certificate, _other) = approved_visit(personas)
    token = certificate.token
    Certificate.objects.filter(pk=certificate.pk).update(number="VC-0000-000000")
    verdict = verify(token, DAY)
    assert verdict.genuine and verdict.revoked is None and verdict.ok
    assert [r.code for r in verdict.reasons] == ["certificate_not_on_record"]


def test_an_altered_token_is_refused_here_too(personas, key_dir: Path) -> None:
    _visit, (certificate, _other) = approved_visit(personas)
    altered = with_payload(
        certificate.token, {**payload_of(certificate.token), "name_ko": "김철추"}
    )
    verdict = verify(altered, DAY)
    assert not verdict.genuine and verdict.revoked is None
    assert [r.code for r in verdict.reasons] == ["certificate_bad_signature"]


def test_printed_and_checked(personas, key_dir: Path) -> None:
    _visit, (certificate, _other) = approved_visit(personas)
    data = certificate_pdf(certificate, URL)
    assert verify_pdf(data, signing.published_keys(), DAY).ok
    verdict = verify_certificate_pdf(data, DAY)
    assert verdict.ok and verdict.revoked is False
    assert verdict.facts is not None and verdict.facts.name_ko == "김철수"


# The key ------------------------------------------------------------------------------------


def test_key_made_on_first_use_private_and_published(key_dir: Path) -> None:
    assert signing.published_keys() == []
    signer = signing.signer()
    path = key_dir / f"{signer.key.key_id}.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    assert sorted(p.name for p in key_dir.iterdir()) == sorted([".lock", "keys.json", path.name])
    keys, found = parse_keys_json((key_dir / "keys.json").read_bytes())
    assert found == [] and keys == [signer.key]
    assert signing.signer().key == signer.key  # made once


def test_the_first_key_starts_when_it_first_signs(key_dir: Path) -> None:
    """Made a second after the certificate's time of issue was taken, it still covers it."""
    at = datetime(2026, 12, 6, 10, 0, 0, tzinfo=UTC)
    with time_machine.travel(at + timedelta(seconds=1, microseconds=5), tick=False):
        signer = signing.signer(at)
    assert signer.key.valid_from == at and signer.key.valid_at(at)


def test_no_key_made_where_not_allowed(settings, key_dir: Path) -> None:
    settings.PANMUN_PERMITS_CREATE_KEYS = False
    with pytest.raises(DomainError) as info:
        signing.signer()
    assert info.value.code == ErrorCode.CONFLICT and "keys --create" in info.value.message_en
    assert not (key_dir / "keys.json").exists()


def test_an_open_key_file_is_refused(key_dir: Path) -> None:
    key = signing.signer().key
    (key_dir / f"{key.key_id}.key").chmod(0o644)
    with pytest.raises(DomainError) as info:
        signing.signer()
    assert info.value.details["code"] == "key_file_permissions"


def test_a_damaged_keys_file_is_refused(key_dir: Path) -> None:
    signing.signer()
    (key_dir / "keys.json").write_text('{"keys":[{}]}')
    with pytest.raises(DomainError) as info:
        signing.published_keys()
    assert info.value.code == ErrorCode.CONFLICT


def test_rotation_keeps_the_old_key_for_what_it_signed(personas, key_dir: Path) -> None:
    _visit, (old, _other) = approved_visit(personas)
    new_key = signing.create_key(rotate=True)
    keys = signing.published_keys()
    assert [k.key_id for k in keys] == [old.key_id, new_key.key_id]
    assert keys[0].valid_to == new_key.valid_from and keys[1].valid_to is None
    assert verify(old.token, DAY).ok
    visit = Approval.objects.get(pk=_visit.pk)
    with time_machine.travel(new_key.valid_from, tick=False):
        same_second = certificates_issue(approval=visit)  # the old key's last second is over
    assert same_second[0].key_id == new_key.key_id
    with time_machine.travel(new_key.valid_from - timedelta(microseconds=1), tick=False):
        fresh = certificates_issue(approval=visit)  # the old key still signs its last second
    assert fresh[0].key_id == old.key_id and verify(fresh[0].token, DAY).ok
    with time_machine.travel(new_key.valid_from + timedelta(days=1), tick=False):
        fresh = certificates_issue(approval=visit)
    assert fresh[0].key_id == new_key.key_id and verify(fresh[0].token, DAY).ok


# The command ------------------------------------------------------------------------------


def command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("permits", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_command_keys(key_dir: Path, tmp_path: Path) -> None:
    status, out = command("keys", "--create")
    assert status == 0
    keys, found = parse_keys_json(out.strip().encode())
    assert found == [] and len(keys) == 1
    target = tmp_path / "published.json"
    command("keys", "--out", str(target))
    assert target.read_bytes() == (key_dir / "keys.json").read_bytes()


def test_command_verify_says_revoked(personas, key_dir: Path, tmp_path: Path) -> None:
    visit, (certificate, _other) = approved_visit(personas)
    on = ["--today", DAY.isoformat()]
    status, out = command("verify", certificate.token, *on)
    assert status == 0 and "취소 revoked: 아니오 / no" in out
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate_pdf(certificate, URL))
    status, out = command("verify", str(pdf), *on, "--json")
    assert status == 0 and json.loads(out)["revoked"] is False
    approval_transition(
        actor=personas["supervisor"], approval=visit, move="revoke", ko="취소", en="Revoked"
    )
    status, out = command("verify", certificate.token, *on)
    assert status == 1 and "취소 revoked: 예 / yes" in out and "revoked" in out
    keys = tmp_path / "keys.json"
    keys.write_bytes(signing.published_keys_json())
    status, out = command("verify", certificate.token, "--keys", str(keys), *on, "--json")
    assert status == 1 and json.loads(out)["revoked"] is True  # with a database, it is asked


def test_command_verify_refusals(personas, key_dir: Path) -> None:
    _visit, (certificate, _other) = approved_visit(personas)
    status, out = command("verify", certificate.token[:-3] + "AAA")
    assert status == 1 and "REFUSED" in out
    assert command("verify", certificate.token, "--today", "soon")[0] == 2
    assert dataclasses.is_dataclass(verify(certificate.token))
    assert visit_state(certificate) == ApprovalState.APPROVED


def visit_state(certificate: Certificate) -> str:
    return Approval.objects.get(pk=certificate.approval_id).state
