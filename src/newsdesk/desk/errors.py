"""Why a desk action was refused: one exception per condition."""

from __future__ import annotations


class DeskError(Exception):
    """A desk action could not be done; the message says why in plain words."""


class NotAllowed(DeskError):
    """The actor's role may not do this (contributors may only edit drafts)."""


class InvalidTransition(DeskError):
    """The analysis's status does not allow this action (e.g. retracting a draft)."""


class AnalysisNotFound(DeskError, LookupError):
    """No analysis has this id."""


class ReasonRequired(DeskError, ValueError):
    """The action needs a non-empty reason or note."""
