"""Delivery: rendering messages, sending them through their channel, and what comes back
(receipts, opens, clicks, pop-up actions)."""
