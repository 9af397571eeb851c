"""The risk register: reading it (register.py), changing it (changes.py), seeding it (seed.py)."""

from tracker.services.risks.changes import RiskCreate, RiskRerate, add_risk, rerate_risk
from tracker.services.risks.register import HeatCell, RiskRegister, RiskRow, register, top_risks

__all__ = ["HeatCell", "RiskCreate", "RiskRegister", "RiskRerate", "RiskRow", "add_risk", "register",
           "rerate_risk", "top_risks"]
