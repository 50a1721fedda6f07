"""Buurtplatform: neighbourhood platforms for Dutch municipalities, one app for all of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from config import INSTANCE, ROOT, Config, load_config


def create_app(config: Config | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Assemble the app: the one place where settings, extensions and features meet."""
    app = Flask(__name__, instance_path=str(INSTANCE))
    INSTANCE.mkdir(parents=True, exist_ok=True)  # the default SQLite file and outbox live here
    app.config.from_object(config or load_config())
    app.config.update(overrides or {})
    redis_url = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RQ_CONNECTION", redis_url or {})
    app.config.setdefault("CACHE_TYPE", "RedisCache" if redis_url else "SimpleCache")
    app.config.setdefault("CACHE_REDIS_URL", redis_url)
    # Jobs go to the worker whenever Redis is there, also under TESTING (where Flask-RQ would
    # run them synchronously); without Redis `jobs.enqueue` runs them in-process.
    app.config.setdefault("RQ_ASYNC", bool(redis_url))

    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_features(app)
    # Outermost, so that everything inside (the page cache's middleware too) sees the host,
    # scheme and address the proxy passed on.
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded to what the database's integer ids hold, so that a huge
    number is a 404 instead of a database error."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from buurtplatform import i18n, menu, page_cache, read_only, security, static_files
    from buurtplatform.accounts import sessions
    from buurtplatform.extensions import (
        babel,
        cache,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        rq,
    )

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _configure_sqlite_connection)
            event.listen(db.engine, "begin", _begin_sqlite_transaction)
        read_only.commit_what_only_read(db.engine)
    # Batch mode lets SQLite alter tables in later migrations.
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
    )
    cache.init_app(app)
    # Before the rate limiter: a kept page is a visitor's GET, which no limit counts.
    page_cache.init_app(app)
    menu.init_app(app)
    limiter.init_app(app)
    rq.init_app(app)
    login_manager.init_app(app)
    sessions.configure(login_manager)
    security.init_app(app)
    i18n.init_app(app)
    static_files.init_app(app)


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless each connection asks.

    pysqlite also begins transactions its own way, so that releasing a savepoint commits the
    whole transaction; as SQLAlchemy's documentation on SQLite savepoints says, the driver's
    own BEGIN is switched off and `_begin_sqlite_transaction` emits it instead. A transaction
    that has read then holds its snapshot until it ends; in WAL mode that does not stop another
    connection (an in-process job, a second worker) from writing meanwhile.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _register_features(app: Flask) -> None:
    import buurtplatform.listings.suggestions  # noqa: F401 - registers its listing panel
    from buurtplatform import errors
    from buurtplatform.accounts import bp as accounts_bp
    from buurtplatform.activities import bp as activities_bp
    from buurtplatform.beheer import bp as beheer_bp
    from buurtplatform.beheer import load_views as load_beheer_views
    from buurtplatform.board import bp as board_bp
    from buurtplatform.callbacks import bp as callbacks_bp
    from buurtplatform.conversations import bp as conversations_bp
    from buurtplatform.desk import bp as desk_bp
    from buurtplatform.directory import bp as directory_bp
    from buurtplatform.doctor import doctor_command
    from buurtplatform.figures import bp as figures_bp
    from buurtplatform.listings import bp as listings_bp
    from buurtplatform.mail import bp as mail_bp
    from buurtplatform.matches import bp as matches_bp
    from buurtplatform.news import bp as news_bp
    from buurtplatform.notifications import bp as notifications_bp
    from buurtplatform.overview import bp as overview_bp
    from buurtplatform.own_data import bp as own_data_bp
    from buurtplatform.partners import bp as partners_bp
    from buurtplatform.platform_admin import bp as platform_admin_bp
    from buurtplatform.site import bp as site_bp
    from buurtplatform.site_search import bp as site_search_bp
    from buurtplatform.werkbank import bp as werkbank_bp
    from jobs.cli import jobs_cli
    from tenants.cli import tenants_cli
    from tenants.hosts import resolve_tenant

    # The municipality is known before anything else runs (sessions, locale, views).
    app.before_request_funcs.setdefault(None, []).insert(0, resolve_tenant)
    app.register_blueprint(site_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(matches_bp)
    app.register_blueprint(news_bp)
    app.register_blueprint(overview_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(callbacks_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(own_data_bp)
    load_beheer_views()
    app.register_blueprint(beheer_bp)
    app.register_blueprint(platform_admin_bp)
    app.register_blueprint(site_search_bp)
    app.register_blueprint(figures_bp)
    app.register_blueprint(werkbank_bp)
    app.register_blueprint(partners_bp)
    errors.register(app)
    app.cli.add_command(tenants_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(doctor_command)

    from buurtplatform.demo import demo_cli

    app.cli.add_command(demo_cli)
