"""The field of a user's record each channel sends to."""

from __future__ import annotations

ADDRESS = {"EMAIL": "email", "SMS": "phone", "IVR": "phone", "PUSH": "external_id", "POPUP": "external_id"}
