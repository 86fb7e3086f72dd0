"""Which adapter carries each channel, from the settings: a provider when one is set,
the sandbox otherwise (the message is rendered and stored, nothing leaves)."""

from __future__ import annotations

from backend.delivery.channels import Channel, HttpProviderChannel, SandboxChannel
from backend.delivery.smtp import SmtpChannel
from backend.settings import Settings

CHANNELS = ("EMAIL", "SMS", "PUSH", "IVR", "POPUP")


def channel_for(channel: str, settings: Settings) -> Channel:
    if channel == "EMAIL" and settings.smtp_url:
        return SmtpChannel(settings.smtp_url, sender=settings.email_from)
    url = {"SMS": settings.sms_url, "PUSH": settings.push_url, "IVR": settings.ivr_url}.get(channel)
    if url:
        return HttpProviderChannel(url, channel=channel, token=settings.provider_token)
    # Pop-ups are published by the worker itself once they are recorded SENT.
    return SandboxChannel()
