"""The players of the demo: names, contact details, time zones and a way of playing.

Every address is made up: emails are on the example domains reserved for
documentation, phone numbers are random digits behind real country codes, and
nothing is ever sent to them (the demo's providers answer in-process).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import phonenumbers

# country code, time zone, phone prefix, currency, language, first names, last names
COUNTRIES: tuple[tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "DE",
        "Europe/Berlin",
        "+49 15",
        "EUR",
        "de",
        ("Anna", "Lukas", "Lea", "Jonas", "Mia", "Felix", "Emma", "Paul", "Hannah", "Maximilian", "Sophie", "Leon"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Koch", "Richter", "Wolf"),
    ),
    (
        "FI",
        "Europe/Helsinki",
        "+358 40",
        "EUR",
        "fi",
        ("Aino", "Eetu", "Helmi", "Onni", "Venla", "Leevi", "Siiri", "Elias", "Iida", "Väinö"),
        ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen"),
    ),
    (
        "SE",
        "Europe/Stockholm",
        "+46 70",
        "SEK",
        "sv",
        ("Alice", "William", "Maja", "Oscar", "Elsa", "Hugo", "Astrid", "Liam", "Wilma", "Nils"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Lindberg"),
    ),
    (
        "GB",
        "Europe/London",
        "+44 7700",
        "GBP",
        "en",
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Freya", "Charlie", "Poppy", "Thomas"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thomas", "Walker"),
    ),
    (
        "MT",
        "Europe/Malta",
        "+356 79",
        "EUR",
        "en",
        ("Luca", "Julia", "Matteo", "Eliza", "Jake", "Emma", "Michael", "Maria", "Kyle", "Elena"),
        ("Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea", "Micallef", "Grech", "Attard"),
    ),
    (
        "LV",
        "Europe/Riga",
        "+371 2",
        "EUR",
        "lv",
        ("Roberts", "Sofija", "Markuss", "Alise", "Gustavs", "Emīlija", "Daniels", "Anna", "Kristaps", "Elza"),
        ("Bērziņš", "Kalniņš", "Ozoliņš", "Jansons", "Liepiņš", "Krūmiņš", "Balodis", "Eglītis"),
    ),
    (
        "ES",
        "Europe/Madrid",
        "+34 6",
        "EUR",
        "es",
        ("Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "Valeria", "Daniel", "Paula", "Álvaro"),
        ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Romero"),
    ),
    (
        "BR",
        "America/Sao_Paulo",
        "+55 11 9",
        "BRL",
        "pt",
        ("Miguel", "Helena", "Arthur", "Alice", "Gael", "Laura", "Heitor", "Manuela", "Theo", "Valentina"),
        ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Costa"),
    ),
    (
        "CA",
        "America/Toronto",
        "+1 416 555",
        "CAD",
        "en",
        ("Noah", "Olivia", "Liam", "Charlotte", "Ethan", "Chloé", "Lucas", "Zoé", "Benjamin", "Léa"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "MacDonald"),
    ),
    (
        "JP",
        "Asia/Tokyo",
        "+81 90",
        "JPY",
        "ja",
        ("Haruto", "Yui", "Sota", "Hina", "Yuto", "Mei", "Riku", "Sakura", "Ren", "Aoi"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi"),
    ),
    (
        "NZ",
        "Pacific/Auckland",
        "+64 21",
        "NZD",
        "en",
        ("Oliver", "Isla", "Jack", "Charlotte", "Leo", "Amelia", "Nikau", "Aria", "Hunter", "Mila"),
        ("Smith", "Wilson", "Williams", "Brown", "Taylor", "Anderson", "Thompson", "Ngata", "Walker"),
    ),
)
# How often each country comes up, in the order above: a European operator with a few markets abroad.
COUNTRY_WEIGHTS = (18, 14, 12, 14, 6, 6, 9, 8, 6, 3, 4)
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net")
CASINO_GAMES = ("Book of Dead", "Starburst", "Gonzo's Quest", "Sweet Bonanza", "Lightning Roulette", "Blackjack VIP")
SPORTS = ("football", "tennis", "basketball", "ice hockey")
# The ways of playing and their share of the players: each has its own rhythm of logins, bets and deposits.
STYLES = (("regular", 34), ("casual", 26), ("lapsed", 26), ("newcomer", 10), ("vip", 4))


@dataclass
class Player:
    number: int
    external_id: str
    first_name: str
    last_name: str
    username: str
    email: str | None
    phone: str | None
    country: str
    timezone: str
    currency: str
    language: str
    style: str
    # When the player signed up: before the demo's weeks, or during them for newcomers.
    registered_at: datetime
    product: str  # casino or sportsbook: what they mostly play
    favourite: str
    opt_outs: list[str] = field(default_factory=list)
    # The day a lapsed player stopped playing (0 = before the demo's weeks began).
    lapses_on: int = 0

    def profile(self) -> dict:
        """The player as `upsertUsers` takes them."""
        return {
            "externalId": self.external_id,
            "username": self.username,
            "email": self.email,
            "phone": self.phone,
            "timezone": self.timezone,
            "optOuts": self.opt_outs,
            "attributes": {
                "firstName": self.first_name,
                "lastName": self.last_name,
                "country": self.country,
                "language": self.language,
                "product": self.product,
                "favouriteGame": self.favourite,
                "vip": self.style == "vip",
                "registeredAt": self.registered_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        }


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _phone(rng: random.Random, prefix: str, country: str) -> str:
    """Random digits behind the country's mobile prefix, as many as its mobile numbers have."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    length = len(str(example.national_number)) if example else 10
    digits = length - len("".join(c for c in prefix.split(" ", 1)[-1] if c.isdigit()))
    return f"{prefix} {rng.randrange(10 ** (digits - 1), 10**digits)}"


def _username(rng: random.Random, first: str, last: str) -> str:
    pattern = rng.randrange(4)
    a, b = _ascii(first), _ascii(last)
    if pattern == 0:
        return f"{a}{b[:1]}{rng.randrange(10, 99)}"
    if pattern == 1:
        return f"{a}_{b}"
    if pattern == 2:
        return f"{rng.choice(('lucky', 'spin', 'ace', 'king', 'wild', 'goal'))}{a}{rng.randrange(1, 999)}"
    return f"{a[:1]}{b}{rng.randrange(70, 99)}"


def make_player(rng: random.Random, number: int, start: datetime, days: int) -> Player:
    code, zone, prefix, currency, language, firsts, lasts = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
    first, last = rng.choice(firsts), rng.choice(lasts)
    style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
    if style == "newcomer":
        registered = start + timedelta(days=rng.uniform(0.2, days - 0.3))
    else:
        registered = start - timedelta(days=rng.uniform(20, 700))
    username = _username(rng, first, last)
    email = None if rng.random() < 0.04 else f"{_ascii(first)}.{_ascii(last)}{number % 1000}@{rng.choice(MAIL_DOMAINS)}"
    phone = None if rng.random() < 0.12 else _phone(rng, prefix, code)
    product = "sportsbook" if rng.random() < 0.35 else "casino"
    player = Player(
        number=number,
        external_id=f"pl{number:06d}",
        first_name=first,
        last_name=last,
        username=username,
        email=email,
        phone=phone,
        country=code,
        timezone=zone,
        currency=currency,
        language=language,
        style=style,
        registered_at=registered,
        product=product,
        favourite=rng.choice(SPORTS if product == "sportsbook" else CASINO_GAMES),
    )
    if rng.random() < 0.06:
        player.opt_outs.append("SMS")
    if rng.random() < 0.03:
        player.opt_outs.append("EMAIL")
    if style == "lapsed":
        # Most lapsed players stopped before these weeks; some during the first days.
        player.lapses_on = 0 if rng.random() < 0.7 else rng.randrange(1, 6)
    return player


def make_players(rng: random.Random, count: int, first_number: int, start: datetime, days: int) -> list[Player]:
    return [make_player(rng, first_number + i, start, days) for i in range(count)]
