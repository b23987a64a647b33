"""Database models; import them from here."""

from petition.models.alder import Alder
from petition.models.audit import AuditEntry
from petition.models.blast import Blast, BlastFormat, BlastStatus
from petition.models.call import Call, CallOutcome
from petition.models.daily_ward_count import DailyWardCount
from petition.models.district_council import DistrictCouncilMember
from petition.models.district_count import NO_DISTRICT, DistrictCount
from petition.models.import_batch import ImportBatch
from petition.models.invalidation import Invalidation
from petition.models.legislator import Legislator
from petition.models.letter import Letter, LetterReply
from petition.models.letter_campaign import LetterCampaign, LetterDelivery
from petition.models.letter_digest import LetterDigest
from petition.models.login_throttle import LoginThrottle
from petition.models.organizer import Organizer, petition_organizers
from petition.models.outbox import OutboxMessage, OutboxPriority, OutboxStatus
from petition.models.petition import Petition, PetitionState, PetitionTarget
from petition.models.signature import Signature, WardStatus, ward_key_for
from petition.models.stance import STANCE_ORDER, SUPPORTING, VOTES_TO_PASS, AlderStance, Stance
from petition.models.stance_change import StanceChange
from petition.models.unsubscribe import Unsubscribe
from petition.models.ward import WARD_NUMBERS, Ward
from petition.models.ward_count import WardCount
from petition.models.ward_goal import WardGoal

__all__ = [
    "Alder",
    "AlderStance",
    "AuditEntry",
    "Blast",
    "Call",
    "CallOutcome",
    "BlastFormat",
    "BlastStatus",
    "DailyWardCount",
    "DistrictCouncilMember",
    "DistrictCount",
    "NO_DISTRICT",
    "ImportBatch",
    "Invalidation",
    "Letter",
    "Legislator",
    "LetterCampaign",
    "LetterDelivery",
    "LetterDigest",
    "LetterReply",
    "LoginThrottle",
    "Organizer",
    "OutboxMessage",
    "OutboxPriority",
    "OutboxStatus",
    "Petition",
    "PetitionState",
    "PetitionTarget",
    "Signature",
    "StanceChange",
    "STANCE_ORDER",
    "SUPPORTING",
    "VOTES_TO_PASS",
    "Stance",
    "Unsubscribe",
    "WARD_NUMBERS",
    "Ward",
    "WardCount",
    "WardGoal",
    "WardStatus",
    "petition_organizers",
    "ward_key_for",
]
