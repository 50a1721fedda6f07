"""Seed definitions of the four municipalities of the Land van Cuijk.

Texts are the municipalities' own words, edited later by their connectors: Dutch, with an
English version of the welcome text and the help hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TenantSeed:
    slug: str
    name: str
    site_name: str
    villages: tuple[str, ...]
    primary_color: str
    accent_color: str
    welcome_text: str
    help_contact_name: str
    help_phone: str
    welcome_text_en: str
    help_hours: str = "maandag tot en met vrijdag, van 9.00 tot 12.30 uur"
    help_hours_en: str = "Monday to Friday, from 9:00 to 12:30"
    domains: tuple[str, ...] = field(default=())


LAND_VAN_CUIJK = (
    TenantSeed(
        slug="cuijk",
        name="Cuijk",
        site_name="Samen Cuijk",
        villages=("Cuijk", "Beers", "Haps", "Katwijk", "Linden", "Sint Agatha", "Vianen"),
        primary_color="#1d4f91",
        accent_color="#a8431b",
        welcome_text=(
            "Welkom op Samen Cuijk. Hier vraag je hulp en bied je hulp aan. "
            "Je deelt tips met je buren en vindt activiteiten in de buurt."
        ),
        welcome_text_en=(
            "Welcome to Samen Cuijk. Here you ask for help and offer help. "
            "You share tips with your neighbours and find activities nearby."
        ),
        help_contact_name="Sociom, sociaal werk Cuijk",
        help_phone="0485 - 700 100",
    ),
    TenantSeed(
        slug="grave",
        name="Grave",
        site_name="Samen Grave",
        villages=("Grave", "Escharen", "Gassel", "Velp"),
        primary_color="#7a2048",
        accent_color="#1f5f4a",
        welcome_text=(
            "Welkom op Samen Grave. Heb je hulp nodig, of wil je iemand helpen? "
            "Hier vinden inwoners van Grave, Escharen, Gassel en Velp elkaar."
        ),
        welcome_text_en=(
            "Welcome to Samen Grave. Do you need help, or do you want to help someone? "
            "Here the people of Grave, Escharen, Gassel and Velp find each other."
        ),
        help_contact_name="Sociom, sociaal werk Grave",
        help_phone="0486 - 700 200",
    ),
    TenantSeed(
        slug="mill",
        name="Mill en Sint Hubert",
        site_name="Samen Mill en Sint Hubert",
        villages=("Mill", "Sint Hubert", "Langenboom", "Wilbertoord"),
        primary_color="#2e5d1f",
        accent_color="#8a3b12",
        welcome_text=(
            "Welkom op het buurtplatform van Mill en Sint Hubert. "
            "Vraag hulp, bied hulp aan en ontmoet je dorpsgenoten."
        ),
        welcome_text_en=(
            "Welcome to the neighbourhood platform of Mill en Sint Hubert. "
            "Ask for help, offer help and meet the people of your village."
        ),
        help_contact_name="Sociom, sociaal werk Mill en Sint Hubert",
        help_phone="0485 - 700 300",
    ),
    TenantSeed(
        slug="sint-anthonis",
        name="Sint Anthonis",
        site_name="Samen Sint Anthonis",
        villages=(
            "Sint Anthonis",
            "Landhorst",
            "Ledeacker",
            "Oploo",
            "Rijkevoort-De Walsert",
            "Stevensbeek",
            "Wanroij",
            "Westerbeek",
        ),
        primary_color="#5b3a8c",
        accent_color="#9c2f2f",
        welcome_text=(
            "Welkom op Samen Sint Anthonis. Samen zorgen we voor elkaar, "
            "in alle acht dorpen van onze gemeente."
        ),
        welcome_text_en=(
            "Welcome to Samen Sint Anthonis. "
            "Together we care for each other, in all eight villages of our municipality."
        ),
        help_contact_name="Sociom, sociaal werk Sint Anthonis",
        help_phone="0485 - 700 400",
    ),
)
