"""The teams served to many users, and the client that reaches them.

Aegra (an open Agent Protocol server) runs the teams over the threads' PostgreSQL
database; clients reach them through ``langgraph_sdk``.
"""
