"""LangChain tools the agents can call."""
