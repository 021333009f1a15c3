"""Recruiting: candidate cards from ClickUp and Notion on their way into Huntflow.

Modules: ``card`` (the card as the sources give it), ``parsing`` (pure rules that read a name,
contacts, salary, profile links and the resume out of a card), ``transfer`` (the card into
Huntflow, exactly once), ``comment`` (what the applicant's comment says), ``clickup`` (a
ClickUp task as a card), ``clickup_model`` and ``clickup_sync`` (a user's ClickUp settings,
the cached tasks and their syncs), ``notion`` (a Notion page as a card), ``notion_model``,
``notion_service``, ``notion_sync`` and ``notion_access`` (a user's Notion settings, the
cached pages, their syncs and the fresh card of a page), ``sync_window`` (incremental syncs
by a last-edited time) and ``sync_log`` (the log of a sync, of either source).
"""
