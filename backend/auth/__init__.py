"""Operators, passwords, tokens and the access policy."""
