"""Words of the domain that the whole tracker shares (plain data: no database, no Dash).

Sectors: which part of the local system a person represents (Person.sector). Each has the code
stored in the database and seed files, the label the UI shows, and whether it is one of the core
members of a Combating Drugs Partnership in the national guidance for local delivery partners
(Joint Combating Drugs Unit, July 2022); the maturity hint on membership counts those.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    core: bool  # a core member the national CDP guidance recommends


# In the order the UI lists them.
SECTOR_LIST: tuple[Sector, ...] = (
    Sector("public_health", "Public health", core=True),
    Sector("police", "Police", core=True),
    Sector("pcc", "Police and crime commissioner", core=True),
    Sector("probation", "Probation", core=True),
    Sector("prisons", "Prisons", core=True),
    Sector("nhs_icb", "NHS / integrated care board", core=True),
    Sector("treatment_provider", "Treatment provider", core=True),
    Sector("housing", "Housing", core=True),
    Sector("adult_services", "Adult social care", core=True),
    Sector("childrens_services", "Children's services", core=True),
    Sector("education", "Education", core=False),
    Sector("dwp", "DWP / Jobcentre Plus", core=True),
    Sector("community_safety", "Community safety", core=True),
    Sector("lived_experience", "Lived experience", core=True),
    Sector("other", "Other", core=False),
)

# code -> label
SECTORS: dict[str, str] = {s.code: s.label for s in SECTOR_LIST}
# The codes of the core members, in the same order.
CORE_SECTORS: tuple[str, ...] = tuple(s.code for s in SECTOR_LIST if s.core)


def sector_label(code: str | None) -> str:
    """The words for a sector code ("" for none; an unknown code as it is)."""
    return SECTORS.get(code, code) if code else ""
