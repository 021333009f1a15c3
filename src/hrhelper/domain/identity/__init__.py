"""Identity and access: users, roles, profiles, tokens and the account links.

Modules: ``model``, ``policy``, ``one_time``, ``tokens``, ``auth``, ``hr``, ``users``,
``profiles``, ``resume``, ``mails``.
"""
