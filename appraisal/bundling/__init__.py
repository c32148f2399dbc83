"""Bundles: the best set of projects under budgets and sector rules (0-1 programming)."""
