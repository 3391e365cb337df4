"""/api/v1/complex/: timetables, day plans and the North's consent, the gate, flags, the
headcount."""

from ninja import Router

router = Router()
