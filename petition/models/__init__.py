"""Database models; import them from here."""

from petition.models.outbox import OutboxMessage, OutboxStatus
from petition.models.petition import Petition, PetitionState
from petition.models.signature import Signature, WardStatus
from petition.models.ward_count import WardCount

__all__ = [
    "OutboxMessage",
    "OutboxStatus",
    "Petition",
    "PetitionState",
    "Signature",
    "WardCount",
    "WardStatus",
]
