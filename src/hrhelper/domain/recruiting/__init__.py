"""Recruiting: candidate cards from ClickUp and Notion on their way into Huntflow.

Modules: ``card`` (the card as the sources give it), ``parsing`` (pure rules that read a name,
contacts, salary, profile links and the resume out of a card), ``transfer`` (the card into
Huntflow, exactly once) and ``comment`` (what the applicant's comment says).
"""
