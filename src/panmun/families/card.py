"""The printable family card (이산가족 카드): one person's record and story on A4, in Korean,
with the bundled Noto Sans KR font (`panmun.common.pdf.KoreanPDF`), for the file or for the family.

`card_of` gathers what the card says in the active language (the view prints it in Korean);
`family_card_pdf` lays it out. The two are apart so that the layout is tested on plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from panmun.common.pdf import FONT_FAMILY, HEADINGS, KoreanPDF, clean_text

from .models import Person
from .selectors.story import person_age, story_of


@dataclass(frozen=True)
class FamilyCard:
    title: str
    name: str
    facts: list[tuple[str, str]]  # (label, value)
    relatives_heading: str
    relatives_columns: tuple[str, ...]
    relatives: Sequence[tuple[str, ...]]
    story_heading: str
    story_columns: tuple[str, ...]
    story: Sequence[tuple[str, ...]]  # (date, what happened with its details)
    footer: str
    printed_on: dt.date = field(default_factory=dt.date.today)


def _status_source(person: Person) -> str:
    if person.status_round_id is not None and person.status_round is not None:
        return _("the other side's answer in %(round)s, applied on %(day)s") % {
            "round": person.status_round.name,
            "day": person.status_changed_on or "—",
        }
    if person.status_changed_on is not None:
        return _("set by an officer on %(day)s") % {"day": person.status_changed_on}
    return _("as registered")


def card_of(person: Person, on: dt.date | None = None) -> FamilyCard:
    """What the card of `person` says, in the active language."""
    on = on or timezone.localdate()
    age = person_age(person, on)
    born = person.birth_date or "—"
    if person.birth_date and person.birth_calendar:
        born += f" ({person.get_birth_calendar_display()})"
    status = person.get_status_display()
    if person.death_date:
        status += f" ({person.death_date})"
    facts = [
        (_("Registration number"), person.registry_no or "—"),
        (_("Name in Latin letters"), person.name_latin or "—"),
        (_("Sex"), person.get_sex_display() or "—"),
        (_("Born"), born),
        (_("International age"), str(age) if age is not None else "—"),
        (_("Hometown"), person.hometown or "—"),
        (_("Father's name"), person.father_name or "—"),
        (_("Status"), status),
        (_("Where the status comes from"), _status_source(person)),
    ]
    if person.registry_no:
        facts += [
            (_("Address"), person.address or "—"),
            (_("Contacts"), " ".join(x for x in (person.phone, person.email) if x) or "—"),
            (_("Registered on"), str(person.registered_on or "—")),
        ]
    relatives = [
        (
            s.sought.display_name,
            s.get_relation_display(),
            s.sought.birth_date or "—",
            s.sought.hometown or "—",
            s.sought.get_status_display(),
        )
        for s in person.seeking.select_related("sought")
    ]
    story = [
        (str(item.on) if item.on else "—", "\n".join([item.title, *item.lines]))
        for item in story_of(person)
    ]
    return FamilyCard(
        title=_("Separated family card"),
        name=person.display_name,
        facts=facts,
        relatives_heading=_("Relatives sought"),
        relatives_columns=(_("Name"), _("Relation"), _("Born"), _("Hometown"), _("Status")),
        relatives=relatives,
        story_heading=_("The story so far"),
        story_columns=(_("Date"), _("What happened")),
        story=story,
        footer=_("Printed on %(day)s from the separated families registry")
        % {"day": on.isoformat()},
        printed_on=on,
    )


_MARGIN = 15


def _text(text: str) -> str:
    """Text the PDF can set: line breaks kept."""
    return clean_text(text, newlines=True)


def family_card_pdf(card: FamilyCard) -> bytes:
    """The card as an A4 portrait PDF with Noto Sans KR embedded."""
    title = _text(f"{card.title} — {card.name}")
    pdf = KoreanPDF(title, margin=_MARGIN, footer_at=_MARGIN - 3, footer_note=_text(card.footer))
    pdf.add_page()
    pdf.heading(title)
    pdf.set_font(FONT_FAMILY, size=10)
    with pdf.table(
        col_widths=(45, 135),
        first_row_as_headings=False,
        line_height=6,
        padding=(0.5, 1.5),
        text_align="LEFT",
    ) as table:
        for label, value in card.facts:
            row = table.row()
            row.cell(_text(label), style=HEADINGS)
            row.cell(_text(value))
    for title, columns, rows, widths in (
        (card.relatives_heading, card.relatives_columns, card.relatives, (40, 25, 25, 55, 35)),
        (card.story_heading, card.story_columns, card.story, (28, 152)),
    ):
        if not rows:
            continue
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, size=12)
        pdf.multi_cell(0, 7, _text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, size=9)
        pdf.grid(
            widths,
            [_text(text) for text in columns],
            ([_text(text) for text in values] for values in rows),
            line_height=5,
            padding=(0.5, 1.5),
            header_align="LEFT",
        )
    return pdf.document()
