"""/api/v1/aid/: the operations on money."""

from ninja import Router

router = Router()
