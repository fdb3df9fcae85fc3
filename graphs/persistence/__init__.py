"""Where threads and run ledgers live: SQLite in TEAMGRAPH_HOME, or PostgreSQL.

With ``TEAMGRAPH_CHECKPOINT_URL`` set, every machine that reaches that database shares
the threads, their ledgers and the one-runner-per-thread lock.
"""
