"""Database models; import them from here."""

from petition.models.alder import Alder
from petition.models.district_council import DistrictCouncilMember
from petition.models.outbox import OutboxMessage, OutboxStatus
from petition.models.petition import Petition, PetitionState
from petition.models.signature import Signature, WardStatus
from petition.models.ward import Ward
from petition.models.ward_count import WardCount

__all__ = [
    "Alder",
    "DistrictCouncilMember",
    "OutboxMessage",
    "OutboxStatus",
    "Petition",
    "PetitionState",
    "Signature",
    "Ward",
    "WardCount",
    "WardStatus",
]
