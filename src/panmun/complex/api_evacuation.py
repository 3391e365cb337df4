"""/api/v1/complex/: orders to leave, the evacuation board, the manifest, assets left behind."""

from ninja import Router

router = Router()
