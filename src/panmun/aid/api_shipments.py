"""/api/v1/aid/: the operations on shipments."""

from ninja import Router

router = Router()
