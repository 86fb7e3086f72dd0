"""Journeys: the definition document, its predicates, the pure interpreter, the lifecycle."""
