"""The thread service: runs kept on threads, below the CLI and usable from Python.

Storage (SQLite checkpoints and a store in ``TEAMGRAPH_HOME``, or the PostgreSQL database
``TEAMGRAPH_CHECKPOINT_URL`` names: location, postgres), one process per thread (locks, or
a lock held in that database: database_lock), building a team's run on a thread (jobs),
reading threads back (their list, status and history: timeline) and copying them from SQLite to
PostgreSQL (migrate)::

    from graphs.registry import team_spec
    from graphs.threads import build_job, hold_thread

    with hold_thread("essay-1"):
        job = build_job(team_spec("writer"), {}, {"max_revisions": 2}, "essay-1")
        state = job.graph.invoke(job.spec.make_input("why bees matter", ""), job.config)
"""

from graphs.common.exports import package_exports

EXPORTS = {
    "timeline": ("history",),
    "jobs": ("Job", "build_job", "resume_job", "toolbox"),
    "listing": ("list_threads", "thread_status"),
    "locks": ("hold_thread", "is_running"),
    "storage": ("SavedRun", "open_checkpointer", "open_store", "saved_run"),
}
"""Each module of the service that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names]
__getattr__ = package_exports(__name__, EXPORTS)
