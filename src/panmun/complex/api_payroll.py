"""/api/v1/complex/: payroll."""

from ninja import Router

router = Router()
