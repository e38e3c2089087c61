"""Configuration classes, selected by name in ``create_app(config_name)``.

Anything secret comes from the environment; the defaults here are for a
developer laptop.  Ops override the rest with a file pointed to by
``SHOP_SETTINGS`` (see ``create_app``).
"""
import os
import tempfile

BASE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))
VAR_DIR = os.environ.get("SHOP_VAR_DIR", os.path.join(BASE_DIR, "var"))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "change-me-in-production")
    SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "http://localhost:5000")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "postgresql://shop:shop@localhost:5432/shop")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Files live on the box's local disk (an NFS mount on the two web nodes).
    UPLOAD_FOLDER = os.path.join(VAR_DIR, "uploads")
    INVOICE_FOLDER = os.path.join(VAR_DIR, "invoices")
    REPORTS_FOLDER = os.path.join(VAR_DIR, "reports")
    SEARCH_INDEX_PATH = os.path.join(VAR_DIR, "search-index.json")
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    ALLOWED_IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
    ALLOWED_INVOICE_EXTENSIONS = {"pdf"}

    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/1")
    CELERY_TASK_ALWAYS_EAGER = False

    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE", "redis://localhost:6379/2")
    SOCKETIO_CORS_ORIGINS = os.environ.get("SOCKETIO_CORS_ORIGINS", "*")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Flask Shop <orders@shop.example>")
    MAIL_SUPPRESS_SEND = False
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")
    SMS_API_KEY = os.environ.get("SMS_API_KEY")

    PAYMENT_GATEWAY_URL = os.environ.get("PAYMENT_GATEWAY_URL")  # None = sandbox
    PAYMENT_API_KEY = os.environ.get("PAYMENT_API_KEY", "")
    ANALYTICS_ENDPOINT = os.environ.get("ANALYTICS_ENDPOINT")

    # Orders at or above this total wait for a human (fraud team, 2019).
    ORDER_APPROVAL_THRESHOLD_CENTS = 150_000
    APPROVAL_EXPIRY_DAYS = 3
    TAX_RATE = 0.0825
    SHIPPING_FLAT_CENTS = 799
    FREE_SHIPPING_OVER_CENTS = 7_500
    PRODUCTS_PER_PAGE = 24
    PRICE_CACHE_TTL = 300

    START_STOCK_WATCHER = os.environ.get("START_STOCK_WATCHER", "0") == "1"


class DevelopmentConfig(Config):
    DEBUG = True
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DEV_DATABASE_URL", "sqlite:///" + os.path.join(VAR_DIR, "shop-dev.db")
    )
    CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") == "1"
    SOCKETIO_MESSAGE_QUEUE = None
    MAIL_SUPPRESS_SEND = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    _TMP = os.path.join(tempfile.gettempdir(), "flask_shop_testing")
    UPLOAD_FOLDER = os.path.join(_TMP, "uploads")
    INVOICE_FOLDER = os.path.join(_TMP, "invoices")
    REPORTS_FOLDER = os.path.join(_TMP, "reports")
    SEARCH_INDEX_PATH = os.path.join(_TMP, "search-index.json")
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    SOCKETIO_MESSAGE_QUEUE = None
    MAIL_SUPPRESS_SEND = True
    PAYMENT_GATEWAY_URL = None
    ANALYTICS_ENDPOINT = None
    START_STOCK_WATCHER = False


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 10}


config = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "default": DevelopmentConfig,
}
