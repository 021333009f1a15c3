"""ClickUp API v2: the ``TaskSource`` port over plain httpx.

- ``client.ClickUpClient`` — one user's token, with retries, 429 handling and error
  translation;
- ``limiter`` — 100 requests/min per token, in-process or shared by workers over Redis.
"""
