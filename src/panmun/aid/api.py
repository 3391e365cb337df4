"""/api/v1/aid/: each part of the ledger is a router of its own."""

from ninja import Router

from .api_activities import router as activities_router
from .api_iati import router as iati_router
from .api_money import router as money_router
from .api_reports import router as reports_router
from .api_shipments import router as shipments_router

router = Router(tags=["aid"])
router.add_router("", activities_router)
router.add_router("", iati_router)
router.add_router("", money_router)
router.add_router("", shipments_router)
router.add_router("", reports_router)
