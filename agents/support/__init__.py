"""The support desk's roles.

Triage, the account and diagnosis specialists, resolution, the reply's writer and
critic, and what a person may answer (approvals, feedback).
"""
