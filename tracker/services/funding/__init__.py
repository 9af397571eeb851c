"""Commissioned services and grants: reading them (views.py) and the input model that the seed and
any form share (inputs.py)."""

from tracker.services.funding.inputs import FundingCreate, add_funding
from tracker.services.funding.views import (
           EndingItem,
           FundingItem,
           FundingRegister,
           YearTotal,
           ending_soon,
           funding_register,
)

__all__ = ["EndingItem", "FundingCreate", "FundingItem", "FundingRegister", "YearTotal", "add_funding", "ending_soon",
           "funding_register"]
