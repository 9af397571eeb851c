"""The risk register: reading it (register.py), changing it (changes.py), seeding it (seed.py)."""

from tracker.services.risks.changes import RiskCreate, RiskRerate, add_risk, link_funding, rerate_risk
from tracker.services.risks.register import (
    FormChoices,
    HeatCell,
    RiskRegister,
    RiskRow,
    RiskWatch,
    form_choices,
    register,
    top_risks,
    watch,
)

__all__ = ["FormChoices", "HeatCell", "RiskCreate", "RiskRegister", "RiskRerate", "RiskRow", "RiskWatch", "add_risk", "form_choices",
           "link_funding", "register", "rerate_risk", "top_risks", "watch"]
