"""The applicant tracking system (Huntflow) as a user connects to it.

Modules: ``credentials`` (the token pairs a user sets and how they are shown), ``service`` (the
connection check, organisations and vacancies), ``refresh`` (the periodic token refresh).
"""
