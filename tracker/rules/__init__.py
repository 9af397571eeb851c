"""Pure rules the whole tracker shares: no database, no Dash, no Flask.

UK dates and periods, the enums for statuses, roles and scales, colour contrast, the indicator
status rule. Services, the seed loader and the web layer all import from here, so each rule is
written once.
"""
