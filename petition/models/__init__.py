"""Database models; import them from here."""

from petition.models.audit import AuditEntry
from petition.models.invalidation import Invalidation
from petition.models.login_throttle import LoginThrottle
from petition.models.organizer import Organizer, petition_organizers
from petition.models.outbox import OutboxMessage, OutboxStatus
from petition.models.petition import Petition, PetitionState
from petition.models.signature import Signature, WardStatus, ward_key_for
from petition.models.stance import AlderStance, Stance
from petition.models.ward_count import WardCount

__all__ = [
    "AlderStance",
    "AuditEntry",
    "Invalidation",
    "LoginThrottle",
    "Organizer",
    "OutboxMessage",
    "OutboxStatus",
    "Petition",
    "PetitionState",
    "Signature",
    "Stance",
    "WardCount",
    "WardStatus",
    "petition_organizers",
    "ward_key_for",
]
