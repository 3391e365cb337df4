"""/api/v1/permits/: what an applicant does: applications, their people, vehicles and goods,
submission, answers, withdrawal; the profile."""

from ninja import Router

router = Router(tags=["permits"])
