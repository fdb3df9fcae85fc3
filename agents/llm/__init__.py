"""Model plumbing: which model a role uses, the embedded model, calls, decisions, the ledger."""
