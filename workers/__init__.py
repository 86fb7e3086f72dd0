"""Dramatiq broker set-up, thin actors, and the scheduler tick. Imports backend only."""
