"""Frozen values of the lab's world: items, dates with precision, problems, open-call rules, fields."""
