"""/api/v1/permits/: the applicants' operations (`api_applicant`) and the ministry's
(`api_review`), each a router of its own."""

from ninja import Router

from .api_applicant import router as applicant_router
from .api_review import router as review_router

router = Router(tags=["permits"])
router.add_router("", applicant_router)
router.add_router("/review", review_router)
