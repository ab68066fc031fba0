"""Talent search: the boolean query language, the keyword and vector indexes, hybrid ranking, the LangChain tools."""
