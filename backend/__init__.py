"""Questline's domain: journeys, engine, delivery, gamification, and their persistence.

Knows nothing of GraphQL or Dramatiq (checked by import-linter in CI).
"""
