"""Outgoing mail: written to an outbox with the change, delivered by the worker.

Modules: ``outbox`` (the entity and MailOutbox), ``delivery`` (MailDelivery). Domain packages
re-export nothing: ports import the entity modules, and re-exports would make that circular.
"""
