"""/api/v1/aid/: the operations on iati."""

from ninja import Router

router = Router()
