"""/api/v1/aid/: the operations on activities."""

from ninja import Router

router = Router()
