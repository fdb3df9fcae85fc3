"""The support desk's customer database: SQLite with a schema teamgraph owns and migrates.

``database`` opens it (schema version, locks, transactions), ``setup`` creates it (empty
or the deterministic ``demo``), ``records`` reads one customer's rows, ``billing``
finds disputed charges, ``lookups`` are the agents' read-only tools, ``policy`` decides
which action may run, ``actions`` runs them once each with an audit row, and ``tickets``
keeps tickets and escalations.
"""
