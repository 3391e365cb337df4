"""/api/v1/complex/: customs declarations, risk rules and lanes, quarantine inspections, the
epidemic mode."""

from ninja import Router

router = Router()
