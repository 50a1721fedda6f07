"""Atom documents (RFC 4287), built with ElementTree so that every text is escaped by the XML
library, never by hand.

An entry's id is a `urn:uuid` derived from the municipality's canonical host, the kind of
item and its id: it stays the same for as long as the item exists, whichever address the
feed was fetched from, and a partner's newsletter tool uses it to tell new items from old.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"
# The longest summary, in characters: a newsletter shows a line or two.
SUMMARY_LENGTH = 200
# What someone may type into their own text and that a feed does not carry on into
# newsletters and other sites: email addresses, and phone numbers (from a 0 or a +, nine
# digits or more, so that a date such as 12-12-2026 or a time such as 10.00 - 12.00 stays).
EMAIL_ADDRESS = re.compile(r"\S+@\S+\.\w+")
NUMBER = re.compile(r"[+0][\d\s().-]{7,}\d")
PHONE_DIGITS = 9


@dataclass(frozen=True)
class Entry:
    """One item in a feed, with nothing in it that is not on the item's public page."""

    key: str  # the kind and id, e.g. "listing/12": with the host, the entry's id
    title: str
    updated: datetime  # aware
    link: str  # the item's page
    summary: str
    author: str  # a first name, or the municipality's or organisation's name
    place: str  # the village, or "heel Cuijk" for what is for the whole municipality


@dataclass(frozen=True)
class Feed:
    host: str  # the municipality's canonical host
    key: str  # which feed, e.g. "atom/3/nieuws": with the host, the feed's id
    title: str
    self_link: str
    page_link: str  # the same items as a page on the site
    author: str
    language: str
    empty_updated: datetime  # a fixed moment for a feed without entries
    entries: Sequence[Entry]


def stable_id(host: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'https://{host}/{key}')}"


def timestamp(moment: datetime) -> str:
    """RFC 3339, in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def without_contact_details(text: str) -> str:
    def phone_left_out(number: re.Match) -> str:
        digits = sum(character.isdigit() for character in number[0])
        return "…" if digits >= PHONE_DIGITS else number[0]

    return NUMBER.sub(phone_left_out, EMAIL_ADDRESS.sub("…", text))


def shortened(text: str, length: int = SUMMARY_LENGTH) -> str:
    """`text` on one line, without contact details, cut after a whole word when it is longer
    than `length`."""
    flat = " ".join(without_contact_details(text).split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0].rstrip(".,;:") + "…"


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    element.text = text
    return element


def _author(parent: ET.Element, name: str) -> None:
    _add(_add(parent, "author"), "name", name)


def _entry(feed: Feed, parent: ET.Element, entry: Entry) -> None:
    element = _add(parent, "entry")
    _add(element, "id", stable_id(feed.host, entry.key))
    _add(element, "title", without_contact_details(entry.title), type="text")
    _add(element, "updated", timestamp(entry.updated))
    _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    _add(element, "summary", shortened(entry.summary), type="text")
    _author(element, entry.author)
    _add(element, "category", term=entry.place, label=entry.place)


def document(feed: Feed) -> bytes:
    """The feed as an Atom document, encoded as UTF-8."""
    # Unqualified names under a default namespace declared on the root: ElementTree's own
    # `default_namespace` refuses the unqualified attributes (rel, href) that Atom uses.
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: feed.language})
    _add(root, "id", stable_id(feed.host, feed.key))
    _add(root, "title", feed.title, type="text")
    updated = max((entry.updated for entry in feed.entries), default=feed.empty_updated)
    _add(root, "updated", timestamp(updated))
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_link)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_link)
    _author(root, feed.author)
    _add(root, "generator", "Buurtplatform")
    for entry in feed.entries:
        _entry(feed, root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
