"""/api/v1/complex/: workers."""

from ninja import Router

router = Router()
