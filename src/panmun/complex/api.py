"""/api/v1/complex/: each part of the complex is a router of its own."""

from ninja import Router

from .api_firms import router as firms_router
from .api_payroll import router as payroll_router
from .api_workers import router as workers_router

router = Router(tags=["complex"])
router.add_router("", firms_router)
router.add_router("", workers_router)
router.add_router("", payroll_router)
