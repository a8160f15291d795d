"""Errors that carry a message meant for the user (CLI prints it and exits 2; UI shows it)."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""


class ToolInputError(AssistantError, ValueError):
    """A tool got arguments it cannot compute with (unknown code, bad minutes, unknown payer...)."""


class IndexMissingError(AssistantError):
    """The index has not been built (or was deleted): tell the user what to run."""


class StoreUnavailableError(AssistantError):
    """The Chroma server cannot be reached."""


class InputRejectedError(AssistantError, ValueError):
    """A question that cannot be answered as given (empty, too long, not text)."""


class DocumentError(AssistantError):
    """One document could not be loaded (corrupt, empty, wrong encoding, too large)."""
