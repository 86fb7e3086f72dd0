"""Phone numbers as a provider needs them: E.164 (`+` and the digits, no marks).

Read with Google's libphonenumber rules (the `phonenumbers` package): a number written
with `+` and its country code is taken when it has a possible length for that country;
one written nationally ("0151 2345678") is read in the user's country where that is
known (an ISO 3166 code in the `country` attribute, or the country of the user's time
zone); digits alone that make a valid number once a `+` is put before them
("37120000002") are read as international. Anything else cannot be a phone and is refused.
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Any

import phonenumbers

MAX_INPUT = 40  # as long as the stored column


@functools.lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Time zone name to country code, from the IANA database's zone.tab (in tzdata)."""
    try:
        table = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    found = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _, zone, *_ = line.split("\t")
            found[zone] = country
    return found


def region_of(attributes: Any, timezone: str | None) -> str | None:
    """The user's country as a phone region: the `country` attribute, else the time zone's."""
    country = attributes.get("country") if isinstance(attributes, dict) else None
    if isinstance(country, str) and country.strip().upper() in phonenumbers.SUPPORTED_REGIONS:
        return country.strip().upper()
    return _zone_countries().get(timezone or "")


def _parsed(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def e164(text: str, region: str | None) -> str | None:
    """The number in E.164, or None when it cannot be a phone number."""
    text = text.strip()
    if not text or len(text) > MAX_INPUT:
        return None
    number = _parsed(text, region) if region or text.startswith("+") else None
    if number is None and not text.startswith("+"):
        guess = _parsed("+" + text, None)
        number = guess if guess is not None and phonenumbers.is_valid_number(guess) else None
    return None if number is None else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
