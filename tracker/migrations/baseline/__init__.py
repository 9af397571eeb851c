"""The baseline schema by feature, in an order the foreign keys allow (each module needs only the
tables of the modules before it). Migration 0001 creates them in this order and drops them in reverse."""

from tracker.migrations.baseline import funding, indicators, maturity, partnership, plan, strategy, subgroups

IN_ORDER = (partnership, strategy, indicators, subgroups, plan, maturity, funding)
