"""Is a city/place name Chicago, a Chicago neighbourhood, or somewhere else?"""

from __future__ import annotations

from rapidfuzz import fuzz

# Suburbs whose names start with "Chicago" or contain it.
_NOT_CHICAGO = {"CHICAGO HEIGHTS", "CHICAGO RIDGE", "EAST CHICAGO", "WEST CHICAGO",
                "NORTH CHICAGO", "CHICAGO HTS"}
_CHICAGO = {"CHICAGO", "CHGO", "CHI", "CHICAGO IL", "CITY OF CHICAGO", "CHICAGOLAND"}
# rapidfuzz ratio (0-100) from which a place name is a typo of Chicago: a letter or two
# wrong or missing (Chicgo 92, Chicaco 86), while Cicero scores 62.
CHICAGO_TYPO_RATIO = 80

# People sometimes write their neighbourhood where the city goes: the 77 community areas
# plus common neighbourhood names. Listed so they are not mistaken for a suburb.
NEIGHBOURHOODS = {
    "ROGERS PARK", "WEST RIDGE", "UPTOWN", "LINCOLN SQUARE", "NORTH CENTER", "LAKE VIEW",
    "LAKEVIEW", "LINCOLN PARK", "NEAR NORTH SIDE", "EDISON PARK", "NORWOOD PARK",
    "JEFFERSON PARK", "FOREST GLEN", "NORTH PARK", "ALBANY PARK", "PORTAGE PARK",
    "IRVING PARK", "DUNNING", "MONTCLARE", "BELMONT CRAGIN", "HERMOSA", "AVONDALE",
    "LOGAN SQUARE", "HUMBOLDT PARK", "WEST TOWN", "AUSTIN", "WEST GARFIELD PARK",
    "EAST GARFIELD PARK", "NEAR WEST SIDE", "NORTH LAWNDALE", "SOUTH LAWNDALE",
    "LOWER WEST SIDE", "LOOP", "THE LOOP", "NEAR SOUTH SIDE", "ARMOUR SQUARE", "DOUGLAS",
    "OAKLAND", "FULLER PARK", "GRAND BOULEVARD", "KENWOOD", "WASHINGTON PARK", "HYDE PARK",
    "WOODLAWN", "SOUTH SHORE", "CHATHAM", "AVALON PARK", "SOUTH CHICAGO", "BURNSIDE",
    "CALUMET HEIGHTS", "ROSELAND", "PULLMAN", "SOUTH DEERING", "EAST SIDE", "WEST PULLMAN",
    "RIVERDALE", "HEGEWISCH", "GARFIELD RIDGE", "ARCHER HEIGHTS", "BRIGHTON PARK",
    "MCKINLEY PARK", "BRIDGEPORT", "NEW CITY", "WEST ELSDON", "GAGE PARK", "CLEARING",
    "WEST LAWN", "CHICAGO LAWN", "WEST ENGLEWOOD", "ENGLEWOOD", "GREATER GRAND CROSSING",
    "ASHBURN", "AUBURN GRESHAM", "BEVERLY", "WASHINGTON HEIGHTS", "MOUNT GREENWOOD",
    "MORGAN PARK", "OHARE", "O HARE", "EDGEWATER", "EDGEWOOD", "PILSEN", "LITTLE VILLAGE",
    "WICKER PARK", "BUCKTOWN", "UKRAINIAN VILLAGE", "RIVER NORTH", "STREETERVILLE",
    "GOLD COAST", "OLD TOWN", "SOUTH LOOP", "WEST LOOP", "CHINATOWN", "BACK OF THE YARDS",
    "BRONZEVILLE", "ANDERSONVILLE", "RAVENSWOOD", "WRIGLEYVILLE", "BOYSTOWN", "NORTHALSTED",
    "SAUGANASH", "GARFIELD PARK", "LAWNDALE", "KELVYN PARK", "SCOTTSDALE",
    "MARQUETTE PARK", "GRAND CROSSING", "GRESHAM", "BACK OF YARDS", "SOUTH SIDE",
    "NORTH SIDE", "WEST SIDE", "FULTON MARKET", "PRINTERS ROW", "TRI TAYLOR", "NEAR WEST",
}


def classify_place(place: str) -> str:
    """'chicago', 'other' (a named place that is not Chicago), or '' (none given)."""
    name = " ".join(place.upper().replace(".", " ").replace(",", " ").split())
    if not name:
        return ""
    if name in _NOT_CHICAGO:
        return "other"
    if name in _CHICAGO or name in NEIGHBOURHOODS:
        return "chicago"
    if name.startswith("CHICAGO ") and name.removeprefix("CHICAGO ") in ("IL", "ILLINOIS", "ILL"):
        return "chicago"
    if name.endswith(" CHICAGO"):
        return "chicago"  # "Arlo Chicago", "Logan Square Chicago": a building or area + city
    # A misspelt "Chicago" (Chicgo, Chicaco) should not send a voter to "outside".
    if fuzz.ratio(name, "CHICAGO") >= CHICAGO_TYPO_RATIO:
        return "chicago"
    return "other"
