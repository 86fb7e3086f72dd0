"""Scheduled segments: the predicate in SQL, the cron schedule, the runs, the preview."""
