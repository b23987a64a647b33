"""The demo petitions: the ECPS campaign (to alders), written from ecps_facts.json, and the
TIRC funding campaign (to State Representatives), written only from the facts in
campaign_facts.json, quoted as the coalition's claims, with demo signers at real Chicago
addresses."""

import csv
import gzip
from datetime import timedelta

from sqlalchemy import select

from petition.extensions import db
from petition.geo.paths import DATA_DIR
from petition.letters import campaigns
from petition.lookup import alders as alder_roster
from petition.lookup import councils as council_roster
from petition.lookup import legislators as legislator_roster
from petition.lookup import rosters
from petition.lookup import wards as ward_roster
from petition.mail.addresses import normalize_email
from petition.models import (
    LetterDelivery,
    Petition,
    PetitionState,
    PetitionTarget,
    Signature,
    ward_key_for,
)
from petition.models.base import utcnow
from petition.petitions import counts
from petition.signing.placement import place_address

ALDERS_FILE = DATA_DIR / "chicago_alders.csv"
COUNCILS_FILE = DATA_DIR / "chicago_district_council_members_2023.csv"
LEGISLATORS_FILE = DATA_DIR / "illinois_general_assembly_2026.csv"
# The geocoder's own address points (the City's building permits): real addresses, as
# dense as the city's buildings, so the demo signers spread over the districts as people do.
ADDRESS_POINTS_FILE = DATA_DIR / "chicago_address_points.csv.gz"
DEMO_SIGNER_EVERY = 1000  # every 1,000th address point: about 270 demo signers
DEMO_SIGNING_DAYS = 30
DEMO_PENDING_EVERY = 9  # one demo signer in nine has not confirmed their email yet
DEMO_SOURCE = "demo"  # shown per source on the dashboard: organizers can tell them apart
DEMO_FIRST_NAMES = ("Ana", "Luis", "Keisha", "Tomasz", "Mariana", "Darnell", "Mei", "Jorge",
                    "Aisha", "Patrick", "Rosa", "Andre", "Fatima", "Kevin", "Lupe", "Imani",
                    "Marek", "Yesenia", "Terrence", "Nadia", "Carlos", "Brianna", "Hector")
DEMO_LAST_NAMES = ("García", "Johnson", "Nowak", "Hernández", "Williams", "Nguyen", "Brown",
                   "Martínez", "Jackson", "Kowalski", "Robinson", "López", "Davis", "Patel",
                   "Ramírez", "Washington", "O'Brien", "Kim", "Ortiz", "Lewis", "Flores")

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

Add your name with the form on this page. We will deliver the signatures to each alder, ward by
ward.
"""


ECPS_TITLE_ES = "Que el control comunitario de la policía funcione en cada distrito"

ECPS_SUMMARY_ES = (
    "Pídale a su concejal que respalde la ordenanza Empowering Communities for Public "
    "Safety (ECPS): que financie y escuche a la Comisión Comunitaria y a los Consejos de "
    "Distrito electos en los 22 distritos policiales."
)

ECPS_BODY_ES = """\
En julio de 2021 el Concejo Municipal de Chicago aprobó la ordenanza **Empowering \
Communities for Public Safety** (expediente SO2019-4132). Agregó el capítulo 2-80 al Código \
Municipal y creó dos organismos nuevos que dan a la gente de Chicago una voz real en la \
forma en que se vigilan nuestros barrios:

- la **Comisión Comunitaria para la Seguridad Pública y la Rendición de Cuentas** \
(Community Commission for Public Safety and Accountability), una comisión de toda la ciudad \
con siete miembros, propuestos por los miembros electos de los Consejos de Distrito, \
escogidos por la alcaldía y confirmados por el Concejo Municipal. Ayuda a elegir y destituir \
al Superintendente de Policía, al Administrador en Jefe de COPA y a los miembros de la Junta \
de Policía, y fija políticas para el Departamento de Policía de Chicago;
- un **Consejo de Distrito electo en cada uno de los 22 distritos policiales**. Cada consejo \
tiene tres miembros elegidos en las mismas elecciones municipales que la alcaldía y el \
Concejo Municipal, por cuatro años, y celebra una reunión pública cada mes. Las primeras \
elecciones de los Consejos de Distrito fueron el 28 de febrero de 2023.

Estos organismos solo funcionan si el Concejo Municipal los respalda con personal, \
presupuesto y respeto por sus recomendaciones. Quienes firmamos, residentes de Chicago, \
pedimos a nuestros concejales que:

1. financien por completo la Comisión y cada Consejo de Distrito en el presupuesto de la ciudad;
2. respondan en público y por escrito a las recomendaciones de la Comisión y de los \
Consejos de Distrito;
3. se opongan a cualquier ordenanza que debilite los poderes que creó la ordenanza ECPS.

Agregue su nombre con el formulario de esta página. Entregaremos las firmas a cada concejal,
distrito por distrito.
"""

ECPS_CALL_SCRIPT = (
    "Hello, my name is {{ full_name }} and I live in ward {{ ward }}. I am calling to ask Alder "
    "{{ alder_name }} to fund the Community Commission and every police District Council "
    "fully in the city budget. Where does the alder stand? Thank you."
)
ECPS_CALL_SCRIPT_ES = (
    "Hola, me llamo {{ full_name }} y vivo en el distrito {{ ward }}. Llamo para pedir que "
    "{{ alder_name }} financie por completo la Comisión Comunitaria y cada Consejo de Distrito "
    "Policial en el presupuesto de la ciudad. ¿Cuál es su postura? Gracias."
)

TEXT_ADDED_LATER = {"title_es": ECPS_TITLE_ES, "summary_es": ECPS_SUMMARY_ES,
                    "body_es": ECPS_BODY_ES, "call_script": ECPS_CALL_SCRIPT,
                    "call_script_es": ECPS_CALL_SCRIPT_ES}


TIRC_SLUG = "tirc"
TIRC_TITLE = "Fund the Illinois Torture Inquiry and Relief Commission"
TIRC_SUMMARY = (
    "Ask your State Representative to fund the Illinois Torture Inquiry and Relief "
    "Commission (TIRC): the coalition says it has a backlog of 540 torture claims for lack "
    "of resources."
)
TIRC_BODY = """\
The Chicago Alliance Against Racist and Political Repression, which leads this campaign, \
states:

- “Illinois is the only state in the United States with a Torture Inquiry and Relief \
Commission created by statute.”
- “The TIRC, which investigates claims of torture, has a backlog of 540 cases because of a \
lack of resources.”
- “120 cases of police torture have been acknowledged; the real number may be far larger.”
- “Most torture survivors remain in prison decades later; those released served long, \
unjustified sentences and are branded as felons.”
- “Chicago is the only US city that has officially, by city ordinance, apologized for the \
systematic torture and wrongful conviction of men and women, and the only city that created \
a publicly financed reparations fund for torture survivors.”

We, the undersigned residents of Chicago, ask our State Representatives in Springfield to \
fund the Torture Inquiry and Relief Commission.

Add your name with the form on this page. We will deliver the signatures to each State \
Representative, district by district.
"""
TIRC_TITLE_ES = "Financien la Comisión de Investigación y Reparación de la Tortura de Illinois"
TIRC_SUMMARY_ES = (
    "Pídale a su representante estatal que financie la Comisión de Investigación y "
    "Reparación de la Tortura de Illinois (TIRC, por sus siglas en inglés): según la "
    "coalición, tiene 540 denuncias de tortura pendientes por falta de recursos."
)
TIRC_BODY_ES = """\
La Chicago Alliance Against Racist and Political Repression (Alianza de Chicago contra la \
Represión Racista y Política), que encabeza esta campaña, afirma:

- “Illinois es el único estado de los Estados Unidos con una Comisión de Investigación y \
Reparación de la Tortura creada por ley.”
- “La TIRC, que investiga las denuncias de tortura, tiene 540 casos pendientes por falta de \
recursos.”
- “Se han reconocido 120 casos de tortura policial; la cifra real puede ser mucho mayor.”
- “La mayoría de los sobrevivientes de tortura siguen en prisión décadas después; quienes \
salieron cumplieron condenas largas e injustificadas y cargan con antecedentes penales.”
- “Chicago es la única ciudad de los Estados Unidos que, por ordenanza municipal, pidió \
perdón oficialmente por la tortura sistemática y las condenas injustas de hombres y mujeres, \
y la única que creó un fondo público de reparaciones para los sobrevivientes de tortura.”

Quienes firmamos, residentes de Chicago, pedimos a nuestros representantes estatales en \
Springfield que financien la Comisión de Investigación y Reparación de la Tortura.

Agregue su nombre con el formulario de esta página. Entregaremos las firmas a cada \
representante estatal, distrito por distrito.
"""
TIRC_LETTER_SUBJECT = "Please fund the Torture Inquiry and Relief Commission"
TIRC_LETTER_BODY = (
    "{{ greeting }},\n\n"
    "I am {{ full_name }}, I live at {{ address }} in your district, and I signed "
    "“{{ petition_title }}”: {{ petition_url }}\n\n"
    "The Chicago Alliance Against Racist and Political Repression reports that the Torture "
    "Inquiry and Relief Commission has a backlog of 540 cases because of a lack of "
    "resources. Please fund the Commission in the state budget.\n\nThank you."
)
TIRC_LETTER_SUBJECT_ES = ("Por favor, financie la Comisión de Investigación y Reparación de "
                          "la Tortura")
TIRC_LETTER_BODY_ES = (
    "{{ greeting }}:\n\n"
    "Me llamo {{ full_name }}, vivo en {{ address }}, en su distrito, y firmé "
    "“{{ petition_title }}”: {{ petition_url }}\n\n"
    "Según la Chicago Alliance Against Racist and Political Repression, la Comisión de "
    "Investigación y Reparación de la Tortura tiene 540 casos pendientes por falta de "
    "recursos. Le pido que financie la Comisión en el presupuesto del estado.\n\nGracias."
)
TIRC_CALL_SCRIPT = (
    "Hello, my name is {{ full_name }} and I live in your district. I am calling to ask "
    "{{ alder_name }} to fund the Torture Inquiry and Relief Commission in the state budget: "
    "the Chicago Alliance Against Racist and Political Repression reports a backlog of 540 "
    "cases because of a lack of resources. Thank you."
)
TIRC_CALL_SCRIPT_ES = (
    "Hola, me llamo {{ full_name }} y vivo en su distrito. Llamo para pedir a "
    "{{ alder_name }} que se financie la Comisión de Investigación y Reparación de la Tortura "
    "en el presupuesto del estado: según la Chicago Alliance Against Racist and Political "
    "Repression, tiene 540 casos pendientes por falta de recursos. Gracias."
)


def ensure_tirc_petition():
    """Create the TIRC demo petition (to State Representatives) and its letter if missing;
    return (petition, created)."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == TIRC_SLUG))
    if petition is not None:
        return petition, False
    petition = Petition(
        slug=TIRC_SLUG, title=TIRC_TITLE, summary=TIRC_SUMMARY, body=TIRC_BODY,
        title_es=TIRC_TITLE_ES, summary_es=TIRC_SUMMARY_ES, body_es=TIRC_BODY_ES,
        call_script=TIRC_CALL_SCRIPT, call_script_es=TIRC_CALL_SCRIPT_ES, goal=2000,
        state=PetitionState.OPEN, requires_confirmation=True,
        accepts_outside_chicago=False, target=PetitionTarget.STATE_HOUSE,
    )
    db.session.add(petition)
    db.session.flush()
    campaigns.save_campaign(petition, campaigns.CampaignFields(
        subject=TIRC_LETTER_SUBJECT, body=TIRC_LETTER_BODY, supporters_may_edit=True,
        delivery=LetterDelivery.EACH, is_open=True, subject_es=TIRC_LETTER_SUBJECT_ES,
        body_es=TIRC_LETTER_BODY_ES), actor=None)
    return petition, True


def ensure_ecps_petition():
    """Create the ECPS demo petition if it is missing; return it either way."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == ECPS_SLUG))
    if petition is not None:
        # A demo made before these texts existed gets them; edits are never overwritten.
        for name, text in TEXT_ADDED_LATER.items():
            if not getattr(petition, name):
                setattr(petition, name, text)
        db.session.flush()
        return petition, False
    petition = Petition(
        slug=ECPS_SLUG,
        title=ECPS_TITLE,
        summary=ECPS_SUMMARY,
        body=ECPS_BODY,
        **TEXT_ADDED_LATER,
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
    if campaigns.campaign_for(petition.id) is not None:
        return False
    campaigns.save_campaign(petition, campaigns.CampaignFields(
        subject=campaigns.DEFAULT_SUBJECT, body=campaigns.DEFAULT_BODY, supporters_may_edit=True,
        delivery=LetterDelivery.EACH, is_open=True, subject_es=campaigns.DEFAULT_SUBJECT_ES,
        body_es=campaigns.DEFAULT_BODY_ES), actor=None)
    return True


def ensure_rosters(geocoder):
    """Load the wards, the alders, the District Council members and the Illinois House and
    Senate members from the shipped files.

    Safe to repeat: unchanged rows stay as they are. Returns the four reports.
    """
    wards = ward_roster.load_wards(geocoder)
    alders = alder_roster.import_alders(rosters.decode(ALDERS_FILE.read_bytes()),
                                   source=ALDERS_FILE.name)
    councils = council_roster.import_district_councils(
        rosters.decode(COUNCILS_FILE.read_bytes()), source=COUNCILS_FILE.name,
        districts=sorted(geocoder.districts.numbers),
    )
    legislators = legislator_roster.import_legislators(
        rosters.decode(LEGISLATORS_FILE.read_bytes()), source=LEGISLATORS_FILE.name)
    return wards, alders, councils, legislators


def demo_addresses(every=DEMO_SIGNER_EVERY):
    """Every `every`-th shipped address point, as a person types it ("3535 W 79th St")."""
    with gzip.open(ADDRESS_POINTS_FILE, "rt", encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if n % every == 0:
                parts = (row["house_number"], row["street_dir"], row["street_name"],
                         row["street_type"])
                yield " ".join(part.capitalize() for part in parts if part)


def ensure_tirc_signatures(petition, geocoder, *, now=None):
    """Give the TIRC petition its demo signers, if it has no signatures: real addresses
    placed by the real look-up (ward, House and Senate districts), signed over the last
    DEMO_SIGNING_DAYS days, most confirmed, counted as signing counts them. Returns how
    many were added."""
    if db.session.scalar(select(Signature.id).where(Signature.petition_id == petition.id)
                         .limit(1)) is not None:
        return 0
    now = now or utcnow()
    added = 0
    for n, address in enumerate(demo_addresses()):
        placement = place_address(address, "", geocoder)
        if placement.state_house is None:
            continue  # not placed for sure: a demo signer need not wait for a ward choice
        signed = now - timedelta(days=n % DEMO_SIGNING_DAYS, hours=n % 24)
        confirmed = n % DEMO_PENDING_EVERY != 0
        email = f"tirc-demo-{n}@example.org"
        db.session.add(Signature(
            petition_id=petition.id, first_name=DEMO_FIRST_NAMES[n % len(DEMO_FIRST_NAMES)],
            last_name=DEMO_LAST_NAMES[n * 7 % len(DEMO_LAST_NAMES)], email=email,
            email_normalized=normalize_email(email), address=address, zip="",
            source=DEMO_SOURCE, created_at=signed,
            confirmed_at=signed + timedelta(minutes=10) if confirmed else None,
            **placement.signature_columns()))
        counts.tally(petition.id, ward_key_for(placement.status, placement.ward),
                     counts.city_day(signed),
                     districts=(placement.state_house, placement.state_senate),
                     confirmed=int(confirmed), pending=int(not confirmed))
        added += 1
    db.session.flush()
    return added
