"""Readiness recognizer on small snippets: each rule with positive and negative cases.

Facts are built as the pipeline builds them (`parse_file` on dedented snippets,
module names from the paths), linked, and handed to the readiness recognizer.
Findings are compared as exact (rule, kind, file, line) tuples.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.inventory import Blocker
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import readiness


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def blockers(files: Mapping[str, str], heuristics: Heuristics) -> list[Blocker]:
    return readiness.recognize(link(facts_of(files)), heuristics).sorted().blockers


def found(files: Mapping[str, str], heuristics: Heuristics) -> list[tuple[str, str, str, int]]:
    return [(b.rule, b.kind, b.location.file, b.location.line) for b in blockers(files, heuristics)]


# -- MS301 local disk -----------------------------------------------------------------------------


def test_disk_writes_and_what_is_not_one(heuristics: Heuristics) -> None:
    source = """
        import os, shutil, tempfile
        from pathlib import Path

        def export(path, data, name):
            with open(path, "w") as fh:            # write: positional mode
                fh.write(data)
            open(path, mode="ab").close()          # write: mode=
            with open(path) as fh:                 # read of an unknown path: fine
                fh.read()
            open("/tmp/scratch.txt", "w")          # /tmp: fine
            scratch = os.path.join(tempfile.gettempdir(), name)
            open(scratch, "wb")                    # from tempfile: fine
            os.makedirs("var/exports", exist_ok=True)
            shutil.copy(path, "/srv/archive")
            shutil.move(path, "/tmp/moved")        # into /tmp: fine
            Path("var/out.txt").write_text(data)
    """
    assert found({"app/export.py": source}, heuristics) == [
        ("MS301", "local-disk-write", "app/export.py", 6),
        ("MS301", "local-disk-write", "app/export.py", 8),
        ("MS301", "local-disk-write", "app/export.py", 14),
        ("MS301", "local-disk-write", "app/export.py", 15),
        ("MS301", "local-disk-write", "app/export.py", 17),
    ]


def test_a_local_function_named_open_is_not_a_file(heuristics: Heuristics) -> None:
    source = """
        def open(name, mode):
            return name

        def use():
            open("report.csv", "w")
    """
    assert found({"app/files.py": source}, heuristics) == []


def test_flask_uploads_downloads_and_folders(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/config.py": """
            import os
            import tempfile

            VAR_DIR = os.path.join(os.path.dirname(__file__), "var")  # module helper: not a config key

            class Config:
                UPLOAD_FOLDER = os.path.join(VAR_DIR, "uploads")
                STATIC_DIR = os.path.join(VAR_DIR, "static")  # bundled assets: not flagged
                MAX_CONTENT_LENGTH = 16 * 1024 * 1024

            class TestingConfig(Config):
                _TMP = os.path.join(tempfile.gettempdir(), "shop")
                UPLOAD_FOLDER = os.path.join(_TMP, "uploads")  # under /tmp: fine
                MAX_CONTENT_LENGTH = 1024 * 1024  # below the limit
        """,
        "shop/views.py": """
            import os
            from flask import current_app, request, send_from_directory

            def upload():
                image = request.files["image"]
                image.save(os.path.join(current_app.config["UPLOAD_FOLDER"], "a.png"))

            def attach(file):
                file.save(os.path.join(current_app.config["UPLOAD_FOLDER"], "b.pdf"))

            def download(name):
                return send_from_directory(current_app.config["UPLOAD_FOLDER"], name)

            def search():
                with open(current_app.config["UPLOAD_FOLDER"] + "/index.json") as fh:
                    return fh.read()

            def form(user):
                user.save("x")  # not an upload
        """,
    }
    assert found(files, heuristics) == [
        ("MS301", "local-folder-setting", "shop/config.py", 8),
        ("MS309", "payload-limit", "shop/config.py", 10),
        ("MS301", "local-disk-write", "shop/views.py", 7),
        ("MS301", "local-disk-write", "shop/views.py", 10),
        ("MS301", "local-disk-read", "shop/views.py", 13),
        ("MS301", "local-disk-read", "shop/views.py", 16),
    ]
    payload = [b for b in blockers(files, heuristics) if b.rule == "MS309"]
    assert payload[0].detail.startswith("MAX_CONTENT_LENGTH = 16 MB")


def test_django_media_root_and_file_response(heuristics: Heuristics) -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": """
            from pathlib import Path
            BASE_DIR = Path(__file__).parent
            MEDIA_ROOT = BASE_DIR / "media"
            ATTACHMENT_MAX_SIZE = 25 * 1024 * 1024
            PAGE_MAX_SIZE = 100
        """,
        "site/views.py": """
            from django.conf import settings
            from django.core.files.storage import default_storage
            from django.http import FileResponse

            def download(request, name):
                return FileResponse(open(name, "rb"))

            def keep(request, name, data):
                default_storage.save(name, data)
        """,
    }
    assert found(files, heuristics) == [
        ("MS301", "local-folder-setting", "site/settings.py", 4),
        ("MS309", "payload-limit", "site/settings.py", 5),
        ("MS301", "local-disk-read", "site/views.py", 7),
        ("MS301", "local-disk-write", "site/views.py", 10),
    ]
    remote = dict(files)
    remote["site/settings.py"] = (
        textwrap.dedent(files["site/settings.py"])
        + 'STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}\n'
    )
    assert found(remote, heuristics) == [
        ("MS309", "payload-limit", "site/settings.py", 5),
        ("MS301", "local-disk-read", "site/views.py", 7),
    ]


def test_test_modules_are_not_scanned(heuristics: Heuristics) -> None:
    files = {"app/tests/test_export.py": 'def test_it():\n    open("out.txt", "w")\n'}
    assert found(files, heuristics) == []


# -- MS302 module state ---------------------------------------------------------------------------


def test_module_state_needs_a_mutation_in_a_function(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": "",
        "app/cache.py": """
            import collections
            from collections import defaultdict

            _PRICES = {}
            COUNTS = collections.Counter()
            SUBSCRIBERS = defaultdict(set)
            LOOKUP = {"a": 1}
            REGISTRY = {}

            def price(key):
                if key not in _PRICES:
                    _PRICES[key] = 1
                return LOOKUP[key]

            def subscribe(room, sid):
                SUBSCRIBERS[room].add(sid)

            def register_runner(name, runner):
                REGISTRY[name] = runner

            class Memo:
                _seen = []

                def remember(self, value):
                    self._seen.append(value)

            class Fresh:
                items = []

                def __init__(self):
                    self.items = []

                def add(self, value):
                    self.items.append(value)
        """,
        "app/views.py": """
            from app import cache

            def bump(name):
                cache.COUNTS.update([name])
        """,
    }
    result = blockers(files, heuristics)
    assert [(b.rule, b.kind, b.location.file, b.location.line) for b in result] == [
        ("MS302", "module-state", "app/cache.py", 5),
        ("MS302", "module-state", "app/cache.py", 6),
        ("MS302", "module-state", "app/cache.py", 7),
        ("MS302", "module-state", "app/cache.py", 23),
    ]
    assert [[(r.file, r.line) for r in b.related] for b in result] == [
        [("app/cache.py", 13)],
        [("app/views.py", 5)],
        [("app/cache.py", 17)],
        [("app/cache.py", 26)],
    ]


def test_cachetools_cache_at_module_level(heuristics: Heuristics) -> None:
    source = "from cachetools import TTLCache\nCACHE = TTLCache(maxsize=10, ttl=60)\n"
    assert found({"app/memo.py": source}, heuristics) == [("MS302", "module-state", "app/memo.py", 2)]


# -- MS303 threads, MS304 schedulers ----------------------------------------------------------------


def test_started_threads(heuristics: Heuristics) -> None:
    source = """
        import threading
        from threading import Thread as T
        from concurrent.futures import ThreadPoolExecutor

        POOL = ThreadPoolExecutor(4)

        def flush():
            pass

        T(target=flush, daemon=True).start()

        def serve():
            worker = threading.Thread(target=flush)
            worker.start()

        def query():
            runner = threading.Thread(target=flush)
            runner.start()
            runner.join()

        def unused():
            threading.Thread(target=flush)

        def local_pool():
            with ThreadPoolExecutor() as pool:
                pool.map(flush, [])
    """
    result = blockers({"app/work.py": source}, heuristics)
    assert [(b.rule, b.kind, b.location.file, b.location.line) for b in result] == [
        ("MS303", "thread", "app/work.py", 6),
        ("MS303", "thread", "app/work.py", 11),
        ("MS303", "thread", "app/work.py", 14),
    ]
    assert "target=flush" in result[1].detail and "daemon" in result[1].detail
    assert [(r.line) for r in result[2].related] == [15]


def test_in_process_schedulers(heuristics: Heuristics) -> None:
    source = """
        import schedule
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduler = BackgroundScheduler()

        def start():
            scheduler.start()

        schedule.every(10).minutes.do(start)
        schedule.every().hour.do(start)
    """
    assert found({"app/clock.py": source}, heuristics) == [
        ("MS304", "scheduler", "app/clock.py", 8),
        ("MS304", "scheduler", "app/clock.py", 10),
    ]


# -- MS305 SQLite, MS306 sessions, MS308 channel layer, MS310 broker --------------------------------


def test_sqlite_with_dev_only(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/config.py": """
            import os

            class Config:
                SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "postgresql://db/shop")

            class DevelopmentConfig(Config):
                SQLALCHEMY_DATABASE_URI = os.environ.get("DEV_DATABASE_URL", "sqlite:///" + "dev.db")

            class ProductionConfig(Config):
                SQLALCHEMY_DATABASE_URI = "sqlite:///prod.db"
        """,
        "shop/db.py": """
            import sqlite3
            from sqlalchemy import create_engine

            engine = create_engine("sqlite:///data.db")
            memory = sqlite3.connect(":memory:")
            local = sqlite3.connect("local.db")
        """,
    }
    result = blockers(files, heuristics)
    assert [(b.rule, b.kind, b.location.file, b.location.line, b.dev_only) for b in result] == [
        ("MS305", "sqlite", "shop/config.py", 8, True),
        ("MS305", "sqlite", "shop/config.py", 11, False),
        ("MS305", "sqlite", "shop/db.py", 5, False),
        ("MS305", "sqlite", "shop/db.py", 7, False),
    ]


def test_django_settings_blockers(heuristics: Heuristics) -> None:
    settings = """
        import os
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
        SESSION_ENGINE = "django.contrib.sessions.backends.file"
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
        CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
        CELERY_RESULT_BACKEND = "redis://cache:6379/1"
        DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
    """
    assert found({"site/settings.py": settings}, heuristics) == [
        ("MS305", "sqlite", "site/settings.py", 3),
        ("MS306", "file-sessions", "site/settings.py", 4),
        ("MS308", "memory-channel-layer", "site/settings.py", 5),
        ("MS310", "memory-broker", "site/settings.py", 6),
    ]


def test_cache_sessions_depend_on_the_cache(heuristics: Heuristics) -> None:
    local = 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'
    shared = local + 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}\n'
    assert found({"site/settings.py": local}, heuristics) == [("MS306", "local-sessions", "site/settings.py", 1)]
    assert found({"site/settings.py": shared}, heuristics) == []


def test_flask_session_and_config_forms(heuristics: Heuristics) -> None:
    source = """
        from celery import Celery
        from flask import Flask

        app = Flask(__name__)
        app.config["SESSION_TYPE"] = "filesystem"
        app.config.update(MAX_CONTENT_LENGTH=50 * 1024 * 1024, SESSION_COOKIE_NAME="s")
        app.config["SECRET_KEY"] = "x"
        celery = Celery(__name__, broker="memory://")
    """
    assert found({"app/__init__.py": source}, heuristics) == [
        ("MS306", "file-sessions", "app/__init__.py", 6),
        ("MS309", "payload-limit", "app/__init__.py", 7),
        ("MS310", "memory-broker", "app/__init__.py", 9),
    ]


# -- MS307 native dependencies, MS311 Socket.IO ----------------------------------------------------


def test_native_dependencies_once_per_module_and_package(heuristics: Heuristics) -> None:
    source = """
        import numpy as np
        import pandas
        from numpy import linalg
        from PIL import Image
        import lxml.etree
    """
    assert found({"app/stats.py": source}, heuristics) == [
        ("MS307", "native-dependency", "app/stats.py", 2),
        ("MS307", "native-dependency", "app/stats.py", 3),
    ]


def test_socketio_server(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            from app.extensions import socketio

            def create_app():
                app = Flask(__name__)
                socketio.init_app(app, message_queue="redis://q")
                return app
        """,
        "app/extensions.py": """
            from flask_socketio import SocketIO
            socketio = SocketIO()
        """,
    }
    result = blockers(files, heuristics)
    assert [(b.rule, b.kind, b.location.file, b.location.line) for b in result] == [
        ("MS311", "socketio-server", "app/__init__.py", 7),
    ]
    assert "message_queue" in result[0].detail
    direct = {"app/__init__.py": "from flask import Flask\nfrom flask_socketio import SocketIO\n"
              "app = Flask(__name__)\nsocketio = SocketIO(app)\n"}  # fmt: skip
    assert found(direct, heuristics) == [("MS311", "socketio-server", "app/__init__.py", 4)]


# -- the same blockers as real apps write them ------------------------------------------------------


def test_sqlite_engine_in_a_database_dict_built_by_a_helper(heuristics: Heuristics) -> None:
    source = """
        import os

        def parse_db_settings(data_dir):
            engine = os.getenv("DBENGINE", "sqlite")
            if engine == "sqlite":
                config = {
                    "ENGINE": "django.db.backends.sqlite3",   # SQLite by default: flagged
                    "NAME": str(data_dir / "db.sqlite3"),
                }
            else:
                config = {"ENGINE": "django.db.backends.postgresql", "HOST": os.getenv("DBHOST")}  # fine
            return {"default": config}
    """
    assert found({"site/settings/custom.py": source}, heuristics) == [
        ("MS305", "sqlite", "site/settings/custom.py", 7),
    ]


def test_a_sqlite_file_only_queried_is_not_a_blocker(heuristics: Heuristics) -> None:
    source = """
        import sqlite3
        from django.conf import settings

        def search(request, q):
            query = "SELECT slug, title FROM docs WHERE docs MATCH ?"
            con = sqlite3.connect(settings.BASE_DIR / "search.db")   # read-only, shipped with the code: fine
            return con.cursor().execute(query, (q,)).fetchall()

        def lookup(code):
            con = sqlite3.connect("file:geo.db?mode=ro", uri=True)   # mode=ro: fine
            return con.execute(f"SELECT name FROM geo WHERE code = {code!r}").fetchone()

        def record(hit):
            con = sqlite3.connect("hits.db")                          # writes: flagged
            con.execute("INSERT INTO hits VALUES (?)", (hit,))
            con.commit()

        def connection():
            con = sqlite3.connect("shared.db")                        # handed out: flagged
            return con
    """
    assert found({"docs/views.py": source}, heuristics) == [
        ("MS305", "sqlite", "docs/views.py", 15),
        ("MS305", "sqlite", "docs/views.py", 20),
    ]


def test_persistent_connections(heuristics: Heuristics) -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": """
            import os

            def envint(name, default):
                return int(os.getenv(name, default))

            DATABASES = {
                "default": {
                    "ENGINE": "django.db.backends.postgresql",
                    "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "0"),    # 0 by default: fine
                },
                "replica": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": None},   # for ever
            }
            AGE = int(os.environ.get("AGE", 600))
            REPORTS = dj_database_url.config(conn_max_age=AGE)       # 600 s through a name
        """,
        "site/dbconfig.py": """
            import os

            def options(size):
                config = {"ENGINE": "django.db.backends.postgresql"}
                base_options = {"sslmode": "prefer"}
                if size:
                    base_options["pool"] = {"min_size": 1, "max_size": size}   # a pool per process
                return config, base_options
        """,
        "site/jobs.py": """
            import imaplib
            import psycopg2
            import websockets

            conn = psycopg2.connect("dbname=app")          # module level: held for the process's life

            def fetch(host):
                box = imaplib.IMAP4_SSL(host)              # opened per call: fine
                box.logout()

            async def follow(url):
                async with websockets.connect(url) as ws:  # a WebSocket client kept open
                    async for message in ws:
                        print(message)

            class Cache:
                limits = {"pool": {"size": 4}}             # not a database configuration: fine
        """,
    }
    assert found(files, heuristics) == [
        ("MS313", "persistent-connection", "site/dbconfig.py", 8),
        ("MS313", "persistent-connection", "site/jobs.py", 6),
        ("MS313", "persistent-connection", "site/jobs.py", 13),
        ("MS313", "persistent-connection", "site/settings.py", 7),
        ("MS313", "persistent-connection", "site/settings.py", 15),
    ]


def test_connections_opened_in_functions_and_kept(heuristics: Heuristics) -> None:
    source = """
        import functools
        import imaplib
        import pika
        import psycopg2

        _conn = None
        _channels = {}

        def get_conn():
            global _conn
            if _conn is None:
                _conn = psycopg2.connect("dbname=app")        # a module global: kept
            return _conn

        def channel(name):
            _channels[name] = pika.BlockingConnection()      # an item of a module-level cache: kept
            return _channels[name]

        @functools.lru_cache(maxsize=1)
        def warehouse():
            return psycopg2.connect("dbname=dw")             # a cached result: kept

        class Broker:
            connection = None

            @classmethod
            def connect(cls):
                cls.connection = pika.BlockingConnection()   # a class attribute: kept

        class Mailbox:
            def __init__(self, host):
                self.imap = imaplib.IMAP4_SSL(host)          # the object never closes it: kept

        class Session:
            def __enter__(self):
                self.db = psycopg2.connect("dbname=app")     # closed in __exit__: per use, fine
                return self

            def __exit__(self, *exc):
                self.db.close()

        def report():
            with psycopg2.connect("dbname=app") as conn:     # a with block: per call, fine
                return conn.cursor().fetchall()

        def count():
            conn = psycopg2.connect("dbname=app")            # a local closed in the call: fine
            try:
                return conn.cursor().fetchone()
            finally:
                conn.close()

        def uncached():
            return psycopg2.connect("dbname=app")            # returned, but nothing keeps it: the caller's business
    """
    assert [f for f in found({"app/db.py": source}, heuristics) if f[0] == "MS313"] == [
        ("MS313", "persistent-connection", "app/db.py", 13),
        ("MS313", "persistent-connection", "app/db.py", 17),
        ("MS313", "persistent-connection", "app/db.py", 22),
        ("MS313", "persistent-connection", "app/db.py", 29),
        ("MS313", "persistent-connection", "app/db.py", 33),
    ]
    kept = {b.location.line: b.detail for b in blockers({"app/db.py": source}, heuristics) if b.rule == "MS313"}
    assert "module global `_conn`" in kept[13] and "never closes" in kept[33]


def test_pathlib_writes_and_green_threads(heuristics: Heuristics) -> None:
    source = """
        import shutil
        import tempfile
        from pathlib import Path
        from gevent import spawn

        def store(source, target):
            with Path(source).open("rb") as read_file, Path(target).open("wb") as write_file:  # the write: flagged
                shutil.copyfileobj(read_file, write_file)
            with Path("/tmp/x").open("w") as scratch:     # /tmp: fine
                scratch.write("x")
            _, name = tempfile.mkstemp(suffix=".eml")
            with Path(name).open("wb") as f:              # from tempfile, through a tuple: fine
                f.write(b"x")

        def listen(client):
            def _listen():
                while True:
                    client.get_message(timeout=5)
            spawn(_listen)                                # a greenlet for the life of the process
    """
    assert found({"app/files.py": source}, heuristics) == [
        ("MS301", "local-disk-write", "app/files.py", 8),
        ("MS303", "thread", "app/files.py", 20),
    ]
