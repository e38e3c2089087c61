"""Small helpers shared by every blueprint."""
import re
import unicodedata

_SLUG_STRIP = re.compile(r"[^\w\s-]")
_SLUG_HYPHENATE = re.compile(r"[-\s]+")


def allowed_file(filename, extensions):
    """True if ``filename`` has one of ``extensions`` (lower-case, no dot)."""
    return "." in filename and filename.rsplit(".", 1)[1].lower() in extensions


def slugify(value):
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = _SLUG_STRIP.sub("", value).strip().lower()
    return _SLUG_HYPHENATE.sub("-", value)
