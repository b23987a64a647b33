"""The demo petition: the ECPS campaign, written from ecps_facts.json."""

from sqlalchemy import select

from petition.extensions import db
from petition.geo.paths import DATA_DIR
from petition.models import Petition, PetitionState
from petition.services import rosters

ALDERS_FILE = DATA_DIR / "chicago_alders.csv"
COUNCILS_FILE = DATA_DIR / "chicago_district_council_members_2023.csv"

ECPS_SLUG = "ecps"

ECPS_TITLE = "Make community control of policing work in every ward"

ECPS_SUMMARY = (
    "Tell your alder to back the Empowering Communities for Public Safety (ECPS) "
    "ordinance: fund and listen to the Community Commission and the elected police "
    "District Councils in all 22 police districts."
)

ECPS_BODY = """\
In July 2021 the Chicago City Council passed the **Empowering Communities for Public \
Safety** ordinance (record SO2019-4132). It added Chapter 2-80 to the Municipal Code and \
created two new bodies that give Chicagoans a real voice in how our neighborhoods are policed:

- the **Community Commission for Public Safety and Accountability**, a citywide commission \
of seven members, nominated by elected District Council members, selected by the Mayor and \
confirmed by the City Council. It helps choose and remove the Police Superintendent, the \
Chief Administrator of COPA and Police Board members, and it sets policy for the Chicago \
Police Department;
- an elected **District Council in each of the 22 police districts**. Each council has \
three members elected in the same municipal elections as the Mayor and City Council, for \
four-year terms, and holds a public meeting every month. The first District Council \
elections were held on February 28, 2023.

These bodies only work if the City Council backs them with staff, budget and respect for \
their recommendations. We, the undersigned residents of Chicago, ask our alders to:

1. fund the Commission and every District Council fully in the city budget;
2. answer the Commission's and District Councils' recommendations in public, in writing;
3. oppose any ordinance that would weaken the powers the ECPS ordinance created.

Sign below. We will deliver the signatures to each alder, ward by ward.
"""


def ensure_ecps_petition():
    """Create the ECPS demo petition if it is missing; return it either way."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == ECPS_SLUG))
    if petition is not None:
        return petition, False
    petition = Petition(
        slug=ECPS_SLUG,
        title=ECPS_TITLE,
        summary=ECPS_SUMMARY,
        body=ECPS_BODY,
        goal=5000,
        state=PetitionState.OPEN,
        requires_confirmation=True,
        accepts_outside_chicago=True,
    )
    db.session.add(petition)
    db.session.flush()
    return petition, True


def ensure_ecps_letter_campaign(petition):
    """Give the demo petition its letter to alders (the starter letter), if it has none."""
    from petition.models import LetterDelivery
    from petition.services import letters

    if letters.campaign_for(petition.id) is not None:
        return False
    letters.save_campaign(petition, letters.CampaignFields(
        subject=letters.DEFAULT_SUBJECT, body=letters.DEFAULT_BODY, supporters_may_edit=True,
        delivery=LetterDelivery.EACH, is_open=True), actor=None)
    return True


def ensure_rosters(geocoder):
    """Load the wards, the alders and the District Council members from the shipped files.

    Safe to repeat: unchanged rows stay as they are. Returns the three reports.
    """
    wards = rosters.load_wards(geocoder)
    alders = rosters.import_alders(rosters.decode(ALDERS_FILE.read_bytes()),
                                   source=ALDERS_FILE.name)
    councils = rosters.import_district_councils(
        rosters.decode(COUNCILS_FILE.read_bytes()), source=COUNCILS_FILE.name,
        districts=sorted(geocoder.districts.numbers),
    )
    return wards, alders, councils
