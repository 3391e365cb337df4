"""Reads of the outbox: the notices about one thing, for the app that owns it to show."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notice


def notices_for_topic(topic: str) -> QuerySet[Notice]:
    """The notices about `topic` (e.g. "permits.approval:12"), newest first. The owning app
    decides who may see them (through its access helpers) before showing them."""
    return Notice.objects.filter(topic=topic).order_by("-created_at", "-id")
