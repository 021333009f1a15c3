"""The dramatiq worker: one actor per job of ``entrypoints.jobs``, run over the Redis broker.

Modules: ``actors`` (``declare_actors`` and the retry policy), ``lifecycle`` (the container's
async resources on the AsyncIO middleware's loop), ``main`` (``run_worker``). Importing this
package declares nothing and opens nothing: ``run_worker`` builds it all from settings.
"""
