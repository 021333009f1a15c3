"""Huntflow API v2: the ``Ats`` port over plain httpx.

- ``client.HuntflowClient`` — one connection (one token pair), with token refresh, retries
  and error translation;
- ``limiter`` — client-side pacing (in-process token bucket, or Redis shared by workers);
- ``tokens`` — an in-memory token store and a Redis lock that serialises refreshes.
"""
