"""`panmun load-demo`'s Gaeseong complex, shaped like 2015: about 120 firms (the demo persona
`firm` is one of them), their sites, a year of output, the rosters of about 55,000 workers
(`--complex-workers`), a year of payrolls with their remittances, the people staying now,
the telephone lines, customs, and a day of crossings at the gate (December 2015). Each part
is a module of its own, loaded in this order."""

from __future__ import annotations

from panmun.common.apps import DemoRun

from . import demo_crossings, demo_customs, demo_firms, demo_payroll, demo_stay, demo_workers


def load_demo(run: DemoRun) -> None:
    """Firms and land first, then the workers, then the payrolls (which read both)."""
    demo_firms.load(run)
    demo_workers.load(run)
    demo_payroll.load(run)
    demo_stay.load(run)
    demo_customs.load(run)
    demo_crossings.load(run)
