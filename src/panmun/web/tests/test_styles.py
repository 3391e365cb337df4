"""Every table style a template asks for exists in the stylesheet: a class without a rule leaves
a list of 500 records as unstyled text (the families and reunion tables once did)."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
CSS = (SRC / "web" / "static" / "web" / "panmun.css").read_text(encoding="utf-8")


def test_every_table_in_the_templates_has_a_styled_class():
    unstyled = set()
    for template in SRC.glob("*/templates/**/*.html"):
        text = template.read_text("utf-8")
        for attrs in re.findall(r"<table\b([^>]*)>", text):
            found = re.search(r'\sclass="([^"]+)"', attrs)
            classes = found.group(1).split() if found else []
            if not any(re.search(rf"table\.{re.escape(c)}\b", CSS) for c in classes):
                unstyled.add(f"{template.relative_to(SRC)}: <table{attrs}>")
    assert unstyled == set()


def test_tables_never_split_a_word():
    rule = re.search(r"table\.results td \{[^}]*\}|table\.results td[^{]*\{[^}]*\}", CSS)
    assert rule is not None and "keep-all" in rule.group(0)
