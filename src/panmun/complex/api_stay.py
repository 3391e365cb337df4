"""/api/v1/complex/: stay registrations and their fees, communications lines, calls and monthly
bills."""

from ninja import Router

router = Router()
