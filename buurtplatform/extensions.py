"""Flask extensions, created unbound and bound to the app in `create_app`."""

from typing import Any, TypeVar

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_rq import RQ
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Predictable constraint names, so that migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Entity = TypeVar("Entity")


class Session(FlaskSession):
    """`get` answers from the identity map without a query, and so without the scoping hook:
    an object of another municipality loaded earlier in the same session (a job that walks
    the municipalities) would come back. It is hidden unless `ALL_TENANTS` is passed."""

    def get(self, entity: type[Entity], ident: Any, **options: Any) -> Entity | None:
        from tenants.scoping import visible  # tenants.models imports this module

        found = super().get(entity, ident, **options)
        return found if visible(found, options.get("execution_options")) else None


db = SQLAlchemy(
    metadata=MetaData(naming_convention=NAMING_CONVENTION), session_options={"class_": Session}
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
rq = RQ()
# Pages and fragments kept for a short while: on Redis, shared by every app server, when
# `REDIS_URL` is set; else in this process (a laptop, the demo). See buurtplatform/page_cache.py.
cache = Cache()
