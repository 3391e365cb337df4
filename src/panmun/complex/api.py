"""/api/v1/complex/: each part of the complex is a router of its own."""

from ninja import Router

from .api_crossings import router as crossings_router
from .api_customs import router as customs_router
from .api_evacuation import router as evacuation_router
from .api_firms import router as firms_router
from .api_gate import router as gate_router
from .api_payroll import router as payroll_router
from .api_stay import router as stay_router
from .api_workers import router as workers_router

router = Router(tags=["complex"])
router.add_router("", firms_router)
router.add_router("", workers_router)
router.add_router("", payroll_router)
router.add_router("", crossings_router)
router.add_router("", customs_router)
router.add_router("", stay_router)
router.add_router("", evacuation_router)
router.add_router("", gate_router)
