"""/api/v1/complex/: firms."""

from ninja import Router

router = Router()
