"""`flask demo scale`: a database as full as sixty municipalities after three years, for
benchmarks (bench/pages.py) and for looking at pages with real volumes.

At `--factor 1`: 60 municipalities (the four of the Land van Cuijk and 56 more, made through
tenants.provisioning like any other), 50,000 members, 200,000 asks and offers over three years
(old ones matched or closed, recent ones mostly open), 100,000 conversations with 500,000
messages, 20,000 activities with sign-ups, prikbord posts with comments, organisations with
offerings on the sociale kaart, and news. Rows are written with bulk inserts in chunks; every
row names its municipality, and every child row its parent's municipality. Every account has
the demo password; `inwoner.<slug>@scale.buurtplatform.nl` is a resident of each municipality.
"""

from __future__ import annotations

import io
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import click
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from buurtplatform.accounts.models import Membership, Role, User
from buurtplatform.activities.models import Activity, ActivityKind, Repeat, Signup, SignupStatus
from buurtplatform.board.models import BoardComment, BoardPost, PostKind
from buurtplatform.conversations.models import Conversation, Message
from buurtplatform.demo import texts
from buurtplatform.demo.people import DEMO_PASSWORD
from buurtplatform.directory.models import (
    Offering,
    OfferingTheme,
    OfferingVillage,
    Organisation,
    OrganisationType,
    Owner,
    Theme,
)
from buurtplatform.extensions import db
from buurtplatform.listings.models import Category, Kind, Listing, Status, Timing
from buurtplatform.matches.models import ASK_SLOT, Match, Outcome
from buurtplatform.news.models import NewsItem
from buurtplatform.search import is_search_table, reindex_sqlite
from buurtplatform.timestamps import utcnow
from jobs.periods import LOCAL
from tenants.models import Tenant, Village
from tenants.provisioning import create_seeded_tenant, create_tenant
from tenants.scoping import ALL_TENANTS, tenant_context
from tenants.seed import LAND_VAN_CUIJK

EMAIL_DOMAIN = "scale.buurtplatform.nl"
CHUNK = 5_000
YEARS = 3
# The full volumes, at --factor 1.
VOLUMES = {
    "members": 50_000,
    "listings": 200_000,
    "messages": 500_000,
    "activities": 20_000,
    "board_posts": 12_000,
    "organisations": 900,
    "news": 1_800,
}
MESSAGES_PER_CONVERSATION = 5
COLOURS = [(seed.primary_color, seed.accent_color) for seed in LAND_VAN_CUIJK]


def resident_email(slug: str) -> str:
    """The resident of each municipality to sign in as (with the demo password)."""
    return f"inwoner.{slug}@{EMAIL_DOMAIN}"


@dataclass
class Place:
    """What the generator needs to know of one municipality."""

    tenant_id: int
    slug: str
    name: str
    weight: float
    villages: list[tuple[int, str]]
    categories: dict[str, int]
    residents: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)
    organisation_users: list[int] = field(default_factory=list)

    def village(self, rnd: random.Random) -> tuple[int, str]:
        return rnd.choice(self.villages)

    def member(self, rnd: random.Random, other_than: int | None = None) -> int:
        while True:
            user_id = rnd.choice(self.residents)
            if user_id != other_than or len(self.residents) == 1:
                return user_id


class Scale:
    def __init__(self, factor: float, municipalities: int, seed: int = 2026) -> None:
        self.factor = factor
        self.municipalities = municipalities
        self.rnd = random.Random(seed)
        self.now = utcnow()
        self.places: list[Place] = []
        self.counts: dict[str, int] = {}
        self.started = time.perf_counter()
        # A progress bar on a terminal; elsewhere (a log, a test) one line per step.
        self.bar_file = sys.stdout if sys.stdout.isatty() else io.StringIO()

    # Helpers

    def total(self, name: str) -> int:
        return max(self.municipalities, round(VOLUMES[name] * self.factor))

    def spread(self, name: str) -> Iterator[tuple[Place, int]]:
        """Each municipality and its share of a volume (at least one)."""
        total, weights = self.total(name), sum(p.weight for p in self.places)
        for place in self.places:
            yield place, max(1, round(total * place.weight / weights))

    def moment(self, days_back: float) -> datetime:
        return self.now - timedelta(seconds=self.rnd.uniform(0, days_back * 86_400))

    def step(self, message: str) -> None:
        click.echo(f"[{time.perf_counter() - self.started:7.1f} s] {message}")

    def insert(
        self, model: type, rows: Iterable[dict], label: str, length: int, *, ids: bool = False
    ) -> list[int]:
        """Bulk insert in chunks, with a progress bar; the new ids in order when `ids`."""
        # Core's insert of the table: one statement for many rows (insertmanyvalues). The
        # ORM's bulk insert makes a statement per pattern of empty columns.
        table = model.__table__
        statement = sa.insert(table).execution_options(**ALL_TENANTS)
        if ids:
            statement = statement.returning(table.c.id, sort_by_parameter_order=True)
        new_ids: list[int] = []
        chunk: list[dict] = []
        done = 0

        def flush() -> None:
            nonlocal done
            if not chunk:
                return
            result = db.session.execute(statement, chunk)
            if ids:
                new_ids.extend(result.scalars().all())
            bar.update(len(chunk))
            done += len(chunk)
            chunk.clear()

        with click.progressbar(
            length=length, label=f"{label:<22}", show_pos=True, file=self.bar_file
        ) as bar:
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    flush()
            flush()
        db.session.commit()
        self.step(f"{done:,} {label}")
        self.counts[label] = self.counts.get(label, 0) + done
        return new_ids

    # Steps

    def make_municipalities(self) -> None:
        """The four of the Land van Cuijk (kept if they are there) and generated ones."""
        existing = {t.slug: t for t in db.session.scalars(sa.select(Tenant))}
        tenants = []
        for seed in LAND_VAN_CUIJK[: self.municipalities]:
            tenants.append(existing.get(seed.slug) or create_seeded_tenant(seed))
        names = texts.MUNICIPALITY_NAMES
        for n in range(self.municipalities - len(tenants)):
            name = names[n % len(names)] + ("" if n < len(names) else f" {n // len(names) + 1}")
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            villages = [name.split(" ")[0]]
            while len(villages) < self.rnd.randint(3, 8):
                village = self.rnd.choice(texts.VILLAGE_ROOTS) + self.rnd.choice(
                    texts.VILLAGE_ENDINGS
                )
                if village not in villages:
                    villages.append(village)
            primary, accent = COLOURS[n % len(COLOURS)]
            tenants.append(
                create_tenant(
                    slug,
                    name,
                    villages,
                    site_name=f"Samen {name}",
                    primary_color=primary,
                    accent_color=accent,
                    welcome_text=(
                        f"Welkom op Samen {name}. Hier vraag je hulp en bied je hulp aan. "
                        "Je deelt tips met je buren en vindt activiteiten in de buurt."
                    ),
                    help_contact_name=f"Sociaal werk {name}",
                    help_phone=f"0{self.rnd.randint(10, 99)}0 - {self.rnd.randint(100, 999)} 000",
                    help_hours="maandag tot en met vrijdag, van 9.00 tot 12.30 uur",
                )
            )
        db.session.commit()
        for tenant in tenants:
            with tenant_context(tenant):
                villages = db.session.execute(
                    sa.select(Village.id, Village.name).order_by(Village.id)
                ).all()
                categories = dict(db.session.execute(sa.select(Category.key, Category.id)).all())
            self.places.append(
                Place(
                    tenant.id,
                    tenant.slug,
                    tenant.name,
                    # Some municipalities are three times as busy as others.
                    self.rnd.uniform(0.5, 1.5),
                    [tuple(v) for v in villages],
                    {k: v for k, v in categories.items() if k},
                )
            )
        self.step(
            f"{len(tenants)} municipalities, {sum(len(p.villages) for p in self.places)} villages"
        )

    def make_people(self) -> None:
        password = generate_password_hash(DEMO_PASSWORD)
        plan: list[tuple[Place, Role, str, str]] = []  # place, role, email, first name
        n = 0
        for place, count in self.spread("members"):
            organisations = max(1, round(count * 0.02))
            for i in range(max(count, 8)):
                n += 1
                role = (
                    Role.CONNECTOR
                    if i < 3
                    else Role.COORDINATOR
                    if i < 5
                    else Role.ORGANISATION
                    if i < 5 + organisations
                    else Role.RESIDENT
                )
                email = (
                    resident_email(place.slug)
                    if i == 5 + organisations
                    else f"{role.value}{n}@{EMAIL_DOMAIN}"
                )
                plan.append((place, role, email, self.rnd.choice(texts.FIRST_NAMES)))
        verified = self.now - timedelta(days=400)
        user_ids = self.insert(
            User,
            (
                {
                    "email": email,
                    "first_name": first_name,
                    "password_hash": password,
                    "locale": "en" if self.rnd.random() < 0.05 else "nl",
                    "is_platform_admin": False,
                    "created_at": verified,
                    "email_verified_at": verified,
                }
                for _, _, email, first_name in plan
            ),
            "accounts",
            len(plan),
            ids=True,
        )
        rows = []
        for (place, role, _, _), user_id in zip(plan, user_ids, strict=True):
            joined = self.moment(YEARS * 365)
            if role == Role.RESIDENT:
                place.residents.append(user_id)
            elif role == Role.ORGANISATION:
                place.organisation_users.append(user_id)
            else:
                place.staff.append(user_id)
            rows.append(
                {
                    "tenant_id": place.tenant_id,
                    "user_id": user_id,
                    "role": role,
                    "village_id": place.village(self.rnd)[0],
                    "privacy_consent_at": joined,
                    "offers_help": self.rnd.random() < 0.3,
                    "skills": "",
                    "created_at": joined,
                    "last_seen_at": self.moment(60),
                    "blocked_reason": "",
                }
            )
        self.insert(Membership, rows, "memberships", len(rows))

    def make_listings(self) -> list[dict]:
        """Asks and offers over three years; returns what the later steps need of them."""
        made: list[dict] = []
        rows = []
        for place, count in self.spread("listings"):
            keys = list(place.categories)
            for _ in range(count):
                # The platform grew: more asks and offers lately (one in eleven in the last
                # month, so about 300 open ones per municipality).
                created = self.now - timedelta(days=YEARS * 365 * self.rnd.random() ** 1.5)
                age = (self.now - created).days
                is_ask = self.rnd.random() < 0.6
                village_id, village = place.village(self.rnd)
                key = self.rnd.choice(keys)
                title, description = texts.listing_text(self.rnd, key, is_ask, village)
                by_organisation = not is_ask and self.rnd.random() < 0.1
                author = (
                    self.rnd.choice(place.organisation_users)
                    if by_organisation
                    else place.member(self.rnd)
                )
                answered = self.rnd.random() < (0.85 if age > 7 else 0.4)
                roll = self.rnd.random()
                status, matched_at, closed_at = Status.OPEN, None, None
                if age > 30:  # past its lifetime: most were matched or closed
                    if answered and roll < 0.6:
                        status, matched_at = Status.MATCHED, created + timedelta(days=2)
                    elif roll < 0.93:
                        status, closed_at = Status.CLOSED, created + timedelta(days=30)
                elif answered and roll < 0.3:
                    status, matched_at = Status.MATCHED, created + timedelta(hours=30)
                    if matched_at > self.now:
                        matched_at = self.now
                first_reply = created + timedelta(hours=self.rnd.randint(1, 48))
                first_reply = min(first_reply, self.now) if answered else None
                rows.append(
                    {
                        "tenant_id": place.tenant_id,
                        "kind": Kind.ASK if is_ask else Kind.OFFER,
                        "status": status,
                        "category_id": place.categories[key],
                        "title": title,
                        "description": description,
                        "village_id": village_id,
                        "remote_ok": key in ("digital_help", "paperwork") and roll < 0.5,
                        "timing": Timing.FLEXIBLE if roll < 0.7 else Timing.WEEKLY,
                        "author_id": author,
                        "by_organisation": by_organisation,
                        "created_at": created,
                        "expires_at": created + timedelta(days=30),
                        "first_reply_at": first_reply,
                        "matched_at": matched_at,
                        "closed_at": closed_at,
                        "helpers_notified_at": created + timedelta(minutes=5) if is_ask else None,
                        "hidden_reason": "",
                        "awaiting_approval": False,
                    }
                )
                made.append(
                    {"place": place, "author": author, "created": created, "answered": answered}
                )
        ids = self.insert(Listing, rows, "asks and offers", len(rows), ids=True)
        for info, row, listing_id in zip(made, rows, ids, strict=True):
            info["id"], info["kind"], info["status"] = listing_id, row["kind"], row["status"]
            info["matched_at"] = row["matched_at"]
        return made

    def make_matches(self, listings: list[dict]) -> None:
        rows = []
        for listing in listings:
            if listing["status"] != Status.MATCHED:
                continue
            place = listing["place"]
            partner = place.member(self.rnd, other_than=listing["author"])
            old = (self.now - listing["matched_at"]).days > 5
            outcome = Outcome.DONE if self.rnd.random() < 0.9 else Outcome.NOT_DONE
            rows.append(
                {
                    "tenant_id": place.tenant_id,
                    "listing_id": listing["id"],
                    "slot": ASK_SLOT if listing["kind"] == Kind.ASK else partner,
                    "partner_id": partner,
                    "recorded_by_id": listing["author"],
                    "created_at": listing["matched_at"],
                    "author_outcome": outcome if old else None,
                    "outcome_at": listing["matched_at"] + timedelta(days=4) if old else None,
                    "follow_up_at": listing["matched_at"] + timedelta(days=3) if old else None,
                }
            )
        self.insert(Match, rows, "matches", len(rows))

    def make_conversations(self, listings: list[dict]) -> None:
        answered = [listing for listing in listings if listing["answered"]]
        wanted = max(1, self.total("messages") // MESSAGES_PER_CONVERSATION)
        plan = []  # (listing, replier)
        seen = set()
        for _ in range(wanted):
            listing = self.rnd.choice(answered)
            replier = listing["place"].member(self.rnd, other_than=listing["author"])
            if replier == listing["author"] or (listing["id"], replier) in seen:
                continue
            seen.add((listing["id"], replier))
            plan.append((listing, replier))
        rows = []
        for listing, replier in plan:
            start = listing["created"] + timedelta(hours=self.rnd.randint(1, 48))
            start = min(start, self.now - timedelta(hours=1))
            read = start + timedelta(hours=12)
            rows.append(
                {
                    "tenant_id": listing["place"].tenant_id,
                    "listing_id": listing["id"],
                    "author_id": listing["author"],
                    "replier_id": replier,
                    "created_at": start,
                    "last_message_at": start,
                    "author_read_at": read,
                    "replier_read_at": read,
                }
            )
        ids = self.insert(Conversation, rows, "conversations", len(rows), ids=True)
        total = self.total("messages")
        per = [MESSAGES_PER_CONVERSATION] * len(ids)
        for i in range(total - sum(per)):  # the rest, when conversations were fewer
            per[i % len(per)] += 1

        def messages() -> Iterator[dict]:
            for (listing, replier), row, conversation_id, count in zip(
                plan, rows, ids, per, strict=True
            ):
                village = listing["place"].villages[0][1]
                moment = row["created_at"]
                for n in range(count):
                    yield {
                        "tenant_id": row["tenant_id"],
                        "conversation_id": conversation_id,
                        "sender_id": replier if n % 2 == 0 else listing["author"],
                        "body": texts.fill(
                            texts.MESSAGES[n % len(texts.MESSAGES)], self.rnd, village
                        ),
                        "created_at": min(moment + timedelta(hours=3 * n), self.now),
                        "hidden_reason": "",
                        "awaiting_approval": False,
                    }

        self.insert(Message, messages(), "messages", sum(per))

    def make_activities(self) -> None:
        rows, plan = [], []
        for place, count in self.spread("activities"):
            for _ in range(count):
                kind, title, description = self.rnd.choice(texts.ACTIVITIES)
                village_id, village = place.village(self.rnd)
                # Two years back to three months ahead, on a day 1-28 at 10:00 or 14:00 local.
                day = (self.now - timedelta(days=self.rnd.randint(-90, 730))).date()
                day = day.replace(day=min(day.day, 28))
                starts = datetime.combine(day, clock(self.rnd.choice((10, 14))), tzinfo=LOCAL)
                roll = self.rnd.random()
                repeat = (
                    Repeat.WEEKLY if roll < 0.15 else Repeat.MONTHLY if roll < 0.25 else Repeat.NONE
                )
                organiser_pool = place.organisation_users if roll < 0.5 else place.residents
                rows.append(
                    {
                        "tenant_id": place.tenant_id,
                        "kind": ActivityKind(kind),
                        "title": texts.fill(title, self.rnd, village)[:100],
                        "description": texts.fill(description, self.rnd, village),
                        "starts_at": starts.astimezone(UTC),
                        "ends_at": (starts + timedelta(hours=2)).astimezone(UTC),
                        "repeat": repeat,
                        "week_of_month": (day.day - 1) // 7 + 1
                        if repeat == Repeat.MONTHLY
                        else None,
                        "repeat_until": day + timedelta(days=365)
                        if repeat != Repeat.NONE and roll < 0.2
                        else None,
                        "village_id": village_id,
                        "place": f"{texts.fill('{place}', self.rnd, village)}, {village}",
                        "cost": "gratis" if roll < 0.6 else "€ 2,50",
                        "accessibility": "Rolstoeltoegankelijk" if roll < 0.5 else "",
                        "capacity": None if roll < 0.5 else 20,
                        "organiser_id": self.rnd.choice(organiser_pool),
                        "by_organisation": roll < 0.5,
                        "created_at": starts.astimezone(UTC) - timedelta(days=20),
                    }
                )
                plan.append((place, day))
        ids = self.insert(Activity, rows, "activities", len(rows), ids=True)

        def signups() -> Iterator[dict]:
            for (place, day), activity_id in zip(plan, ids, strict=True):
                people = {place.member(self.rnd) for _ in range(self.rnd.randint(0, 6))}
                for user_id in people:
                    yield {
                        "tenant_id": place.tenant_id,
                        "activity_id": activity_id,
                        "occurs_on": day,
                        "status": SignupStatus.GOING,
                        "user_id": user_id,
                        "created_at": self.now - timedelta(days=self.rnd.randint(1, 30)),
                    }

        self.insert(Signup, signups(), "activity sign-ups", len(ids) * 3)

    def make_board(self) -> None:
        rows = []
        for place, count in self.spread("board_posts"):
            for _ in range(count):
                kind, title, body = self.rnd.choice(texts.BOARD_POSTS)
                village_id, village = place.village(self.rnd)
                rows.append(
                    {
                        "tenant_id": place.tenant_id,
                        "kind": PostKind(kind),
                        "title": texts.fill(title, self.rnd, village)[:100],
                        "body": texts.fill(body, self.rnd, village),
                        "village_id": village_id,
                        "author_id": place.member(self.rnd),
                        "created_at": self.moment(YEARS * 365),
                        "hidden_reason": "",
                        "awaiting_approval": False,
                    }
                )
        ids = self.insert(BoardPost, rows, "prikbord posts", len(rows), ids=True)
        places = {p.tenant_id: p for p in self.places}

        def comments() -> Iterator[dict]:
            for row, post_id in zip(rows, ids, strict=True):
                place = places[row["tenant_id"]]
                for n in range(self.rnd.randint(0, 6)):
                    yield {
                        "tenant_id": row["tenant_id"],
                        "post_id": post_id,
                        "author_id": place.member(self.rnd),
                        "body": texts.fill(
                            self.rnd.choice(texts.COMMENTS), self.rnd, place.villages[0][1]
                        ),
                        "created_at": min(
                            row["created_at"] + timedelta(hours=5 * (n + 1)), self.now
                        ),
                        "hidden_reason": "",
                        "awaiting_approval": False,
                    }

        self.insert(BoardComment, comments(), "prikbord comments", len(ids) * 3)

    def make_directory(self) -> None:
        organisations, offerings = [], []
        for place, count in self.spread("organisations"):
            names = set()
            for n in range(count):
                kind, name, description = texts.ORGANISATIONS[n % len(texts.ORGANISATIONS)]
                village_id, village = place.villages[
                    (n // len(texts.ORGANISATIONS)) % len(place.villages)
                ]
                name = texts.fill(name, self.rnd, village, place.name)[:120]
                if name in names:
                    continue
                names.add(name)
                own = [self.rnd.choice(texts.OFFERINGS) for _ in range(self.rnd.randint(1, 3))]
                organisations.append(
                    {
                        "tenant_id": place.tenant_id,
                        "name": name,
                        "type": OrganisationType(kind),
                        "description": texts.fill(description, self.rnd, village, place.name),
                        "website": f"https://www.{re.sub('[^a-z]', '', name.lower())[:40]}.nl",
                        "phone": f"0485 - {self.rnd.randint(100, 999)} {self.rnd.randint(10, 99)}0",
                        "email": "",
                        "address": f"Kerkstraat {self.rnd.randint(1, 80)}, {village}",
                        "created_at": self.moment(YEARS * 365),
                        "reviewed_at": self.moment(200),
                        "offerings_text": "\n".join(f"{t}\n\n{d}" for t, d, _, _ in own),
                    }
                )
                offerings.append((place, village_id, own))
        ids = self.insert(
            Organisation, organisations, "organisations", len(organisations), ids=True
        )
        rows, extras = [], []
        for (place, village_id, own), organisation_id in zip(offerings, ids, strict=True):
            for position, (title, description, theme, cost) in enumerate(own):
                rows.append(
                    {
                        "tenant_id": place.tenant_id,
                        "organisation_id": organisation_id,
                        "title": title,
                        "description": description,
                        "for_whom": "",
                        "cost": cost,
                        "opening_hours": "",
                        "contact": "",
                        "position": position,
                    }
                )
                extras.append((place, village_id, theme))
        offering_ids = self.insert(Offering, rows, "offerings", len(rows), ids=True)
        themes, villages = [], []
        for (place, village_id, theme), offering_id in zip(extras, offering_ids, strict=True):
            themes.append(
                {"tenant_id": place.tenant_id, "offering_id": offering_id, "theme": Theme(theme)}
            )
            if self.rnd.random() < 0.5:
                villages.append(
                    {
                        "tenant_id": place.tenant_id,
                        "offering_id": offering_id,
                        "village_id": village_id,
                    }
                )
        self.insert(OfferingTheme, themes, "offering themes", len(themes))
        self.insert(OfferingVillage, villages, "offering villages", len(villages))
        # The organisation role's members own the first entries of their municipality.
        owners = []
        memberships = dict(
            db.session.execute(
                sa.select(Membership.user_id, Membership.id)
                .where(Membership.role == Role.ORGANISATION)
                .execution_options(**ALL_TENANTS)
            ).all()
        )
        by_place: dict[int, list[int]] = {}
        for row, organisation_id in zip(organisations, ids, strict=True):
            by_place.setdefault(row["tenant_id"], []).append(organisation_id)
        for place in self.places:
            for user_id, organisation_id in zip(
                place.organisation_users, by_place.get(place.tenant_id, []), strict=False
            ):
                owners.append(
                    {
                        "tenant_id": place.tenant_id,
                        "organisation_id": organisation_id,
                        "membership_id": memberships[user_id],
                    }
                )
        self.insert(Owner, owners, "organisation owners", len(owners))

    def make_news(self) -> None:
        rows = []
        for place, count in self.spread("news"):
            for _ in range(count):
                title, body = self.rnd.choice(texts.NEWS)
                village_id, village = place.village(self.rnd)
                created = self.moment(YEARS * 365)
                rows.append(
                    {
                        "tenant_id": place.tenant_id,
                        "title": texts.fill(title, self.rnd, village)[:120],
                        "body": body,
                        "village_id": village_id if self.rnd.random() < 0.3 else None,
                        "author_id": self.rnd.choice(place.staff),
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        self.insert(NewsItem, rows, "news", len(rows))

    def index_search(self) -> None:
        """PostgreSQL's GIN indexes follow the rows by themselves; SQLite's FTS5 tables are
        filled by ORM events, which bulk inserts skip: fill them from the rows."""
        if db.engine.dialect.name == "sqlite":
            connection = db.session.connection()
            for table in db.metadata.sorted_tables:
                if is_search_table(f"{table.name}_fts"):
                    reindex_sqlite(connection, table.name)
            db.session.commit()
            self.step("SQLite search index filled")
        elif db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # as autovacuum would have by now
            db.session.commit()
            self.step("PostgreSQL statistics gathered (ANALYZE)")

    def run(self) -> None:
        self.make_municipalities()
        self.make_people()
        listings = self.make_listings()
        self.make_matches(listings)
        self.make_conversations(listings)
        self.make_activities()
        self.make_board()
        self.make_directory()
        self.make_news()
        self.index_search()


def fill_scale(factor: float, municipalities: int = 60) -> dict[str, int]:
    """Fill the database; returns the rows made per kind."""
    if not 4 <= municipalities <= len(texts.MUNICIPALITY_NAMES) * 3:
        raise click.BadParameter("give between 4 and 180 municipalities")
    taken = db.session.scalars(sa.select(Tenant.slug)).all()
    seeds = {seed.slug for seed in LAND_VAN_CUIJK}
    has_content = db.session.scalar(sa.select(Listing.id).limit(1).execution_options(**ALL_TENANTS))
    if set(taken) - seeds or has_content is not None:
        raise click.ClickException(
            "This database holds municipalities or content already: `flask demo scale` "
            "fills an empty one (or one with only the four Land van Cuijk municipalities)."
        )
    scale = Scale(factor, municipalities)
    scale.run()
    scale.step("done: " + ", ".join(f"{n:,} {label}" for label, n in scale.counts.items()))
    return scale.counts
