"""Calma's pure language core: text in, wording findings and promised follow-ups out."""

from coaching.analyze import analyze
from coaching.model import Analysis, Finding, FollowUp

__all__ = ["Analysis", "Finding", "FollowUp", "analyze"]
