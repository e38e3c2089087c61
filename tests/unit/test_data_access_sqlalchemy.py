"""Data access through SQLAlchemy idioms of larger Flask apps (written like a CTF platform's REST API).

Each route is checked for the exact models it reads and writes: relations a polymorphic
subclass inherits from its parent model (and the eager ones it loads with every row),
statements built on a model's `__table__`, and marshmallow-sqlalchemy schemas made from
a flask-marshmallow object (`ma.ModelSchema`) whose `load()` gives an instance of the model.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

CTF = {
    "ctf/__init__.py": """
        from flask import Flask
        from flask_marshmallow import Marshmallow
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        ma = Marshmallow()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            from ctf.api import api
            app.register_blueprint(api)
            return app
    """,
    "ctf/models.py": """
        from ctf import db

        class Fields(db.Model):
            __tablename__ = "fields"
            id = db.Column(db.Integer, primary_key=True)
            type = db.Column(db.String(80))
            __mapper_args__ = {"polymorphic_on": type}

        class FieldEntries(db.Model):
            __tablename__ = "field_entries"
            id = db.Column(db.Integer, primary_key=True)
            type = db.Column(db.String(80))
            field_id = db.Column(db.Integer, db.ForeignKey("fields.id"))
            field = db.relationship("Fields", lazy="joined")
            __mapper_args__ = {"polymorphic_on": type}

        class UserFieldEntries(FieldEntries):
            __mapper_args__ = {"polymorphic_identity": "user"}
            user_id = db.Column(db.Integer, db.ForeignKey("users.id"))

        class Users(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(128))
            field_entries = db.relationship("UserFieldEntries", lazy="joined")

        class Notes(db.Model):
            __tablename__ = "notes"
            id = db.Column(db.Integer, primary_key=True)
            body = db.Column(db.Text)

        class Comments(db.Model):
            __tablename__ = "comments"
            id = db.Column(db.Integer, primary_key=True)
            note_id = db.Column(db.Integer, db.ForeignKey("notes.id"))
            author_id = db.Column(db.Integer, db.ForeignKey("users.id"))
            note = db.relationship("Notes", backref="comments")
            author = db.relationship("Users")

        class Configs(db.Model):
            __tablename__ = "config"
            id = db.Column(db.Integer, primary_key=True)
            key = db.Column(db.Text)
            value = db.Column(db.Text)
    """,
    "ctf/schemas.py": """
        from marshmallow import Schema
        from ctf import ma
        from ctf.models import Comments, Notes

        class NoteSchema(ma.ModelSchema):
            class Meta:
                model = Notes

        class QuerySchema(Schema):
            pass

        class CommentSchema(ma.ModelSchema):
            class Meta:
                model = Comments

        class CommentSummarySchema(ma.ModelSchema):
            class Meta:
                model = Comments
                exclude = ("author",)

        class CommentAutoSchema(ma.SQLAlchemyAutoSchema):
            class Meta:
                model = Comments
    """,
    "ctf/api.py": """
        from flask import Blueprint, request
        from ctf import db
        from ctf.models import Configs, Notes, Users
        from ctf.models import Comments
        from ctf.schemas import CommentAutoSchema, CommentSchema, CommentSummarySchema, NoteSchema, QuerySchema

        api = Blueprint("api", __name__)

        def get_config(key):
            return db.session.execute(Configs.__table__.select().where(Configs.key == key)).fetchone()

        @api.route("/config")
        def config():
            return str(get_config("name"))

        @api.route("/config", methods=["DELETE"])
        def reset_config():
            db.session.execute(Configs.__table__.delete())
            db.session.commit()
            return ""

        @api.route("/config/columns")
        def config_columns():
            return ",".join(c.name for c in Configs.__table__.columns.values())

        @api.route("/users")
        def users():
            return str(Users.query.all())

        @api.route("/notes", methods=["POST"])
        def create_note():
            schema = NoteSchema()
            response = schema.load(request.get_json(), session=db.session)
            db.session.add(response.data)
            db.session.commit()
            return "ok"

        @api.route("/notes/v3", methods=["POST"])
        def create_note_v3():
            note = NoteSchema().load(request.get_json())
            db.session.add(note)
            db.session.commit()
            return "ok"

        @api.route("/notes/<int:note_id>", methods=["PATCH"])
        def patch_note(note_id):
            note = Notes.query.get_or_404(note_id)
            NoteSchema().load(request.get_json(), instance=note, partial=True)
            db.session.commit()
            return "ok"

        @api.route("/notes/<int:note_id>/preview", methods=["POST"])
        def preview_note(note_id):
            note = Notes.query.get_or_404(note_id)
            NoteSchema().load(request.get_json(), instance=note, partial=True)
            return "not saved"

        @api.route("/comments")
        def comments():
            return CommentSchema(many=True).dump(Comments.query.all())

        @api.route("/comments/summary")
        def comment_summaries():
            schema = CommentSummarySchema(many=True)
            return schema.dump(Comments.query.all())

        @api.route("/comments/auto")
        def comments_auto():
            return CommentAutoSchema(many=True).dump(Comments.query.all())

        @api.route("/search", methods=["POST"])
        def search():
            query = QuerySchema().load(request.get_json())
            db.session.add(query)
            return "ok"
    """,
}

FIELDS, ENTRIES, USERS, NOTES, CONFIG = (
    "ctf.models:Fields",
    "ctf.models:FieldEntries",
    "ctf.models:Users",
    "ctf.models:Notes",
    "ctf.models:Configs",
)


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_a_subclass_model_loads_what_its_parents_eager_relations_load() -> None:
    # Why: Users joins its UserFieldEntries, which inherit FieldEntries' `lazy="joined"` field: one
    # query reads all three tables. (UserFieldEntries is stored in field_entries: FieldEntries' table.)
    reads, writes = routes_of(CTF)[("/users", "GET")]
    assert reads == [FIELDS, "ctf.models:UserFieldEntries", USERS]
    assert writes == []


def test_statements_on_a_models_table_read_and_write_it() -> None:
    routes = routes_of(CTF)
    # Why: `Configs.__table__.select()` is `select(Configs)`; `.delete()` on it is a DELETE.
    assert routes[("/config", "GET")] == ([CONFIG], [])
    assert routes[("/config", "DELETE")] == ([], [CONFIG])
    # Why: the table's columns are its metadata: no statement runs.
    assert routes[("/config/columns", "GET")] == ([], [])


def test_a_model_schema_of_a_flask_marshmallow_object_loads_instances_of_its_model() -> None:
    routes = routes_of(CTF)
    # Why: NoteSchema is bound to Notes (`ma.ModelSchema`, Meta.model); what load() gives (marshmallow 2:
    # its `.data`, marshmallow 3: itself) is a Notes added to the session and committed.
    assert routes[("/notes", "POST")] == ([NOTES], [NOTES])
    assert routes[("/notes/v3", "POST")] == ([NOTES], [NOTES])
    # Why: load(instance=note) sets the fields on the note: a write once committed, none without a commit.
    assert routes[("/notes/{note_id}", "PATCH")] == ([NOTES], [NOTES])
    assert routes[("/notes/{note_id}/preview", "POST")] == ([NOTES], [])


def test_a_schema_bound_to_no_model_loads_no_instance() -> None:
    # Why: a plain marshmallow Schema has no model: what it loads is a dict, adding it writes nothing.
    assert routes_of(CTF)[("/search", "POST")] == ([], [])


def test_dumping_with_a_model_schema_loads_the_relationships_it_serialises() -> None:
    routes = routes_of(CTF)
    # Why: a ModelSchema serialises every relationship of Comments (note, author): each is loaded.
    assert routes[("/comments", "GET")][0] == [
        "ctf.models:Comments",
        FIELDS,
        NOTES,
        "ctf.models:UserFieldEntries",
        USERS,
    ]
    # Why: `exclude` leaves `author` out: Users is not loaded (nor what it loads eagerly).
    assert routes[("/comments/summary", "GET")][0] == ["ctf.models:Comments", NOTES]
    # Why: SQLAlchemyAutoSchema serialises relationships only with `include_relationships = True`.
    assert routes[("/comments/auto", "GET")][0] == ["ctf.models:Comments"]


FORUM = {
    "forum/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "forum/models.py": """
        from forum import db

        class Forum(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            topic_count = db.Column(db.Integer)

        class Audit(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Topic(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            views = db.Column(db.Integer)
            forum_id = db.Column(db.Integer, db.ForeignKey("forum.id"))
            forum = db.relationship("Forum")

            def save(self, forum=None, audit=False):
                if self.id:
                    db.session.add(self)
                    db.session.commit()
                    return self
                if audit:
                    db.session.add(Audit())
                self.forum = forum
                self.forum.topic_count = 0
                db.session.add(self)
                db.session.commit()
                return self
    """,
    "forum/views.py": """
        from flask import Blueprint
        from forum.models import Forum, Topic

        bp = Blueprint("forum", __name__)

        @bp.route("/topic/<int:topic_id>")
        def view_topic(topic_id):
            topic = Topic.query.get_or_404(topic_id)
            topic.views += 1
            topic.save()
            return "ok"

        @bp.route("/forum/<int:forum_id>/new", methods=["POST"])
        def new_topic(forum_id):
            forum = Forum.query.get_or_404(forum_id)
            topic = Topic()
            topic.save(forum)
            return "ok"

        @bp.route("/forum/<int:forum_id>/new/audited", methods=["POST"])
        def new_audited_topic(forum_id):
            forum = Forum.query.get_or_404(forum_id)
            topic = Topic()
            topic.save(forum, audit=True)
            return "ok"

        @bp.route("/bump/<int:topic_id>", methods=["POST"])
        def bump_topic(topic_id):
            topic = Topic.query.get(topic_id)
            if topic is None:
                topic = Topic()
            topic.save()
            return "ok"
    """,
}
TOPIC, FORUM_MODEL, AUDIT = "forum.models:Topic", "forum.models:Forum", "forum.models:Audit"


def test_a_method_called_on_a_loaded_row_skips_the_branch_for_new_rows() -> None:
    routes = routes_of(FORUM)
    # Why: the topic was loaded, so `self.id` is set: save() returns after its first branch and never
    # touches the forum (the new-topic path below it).
    assert routes[("/topic/{topic_id}", "GET")] == ([TOPIC], [TOPIC])
    # Why: a topic just built has no id: the new-topic path runs; `audit` left to its default (False)
    # skips the audit row, which `audit=True` writes.
    assert routes[("/forum/{forum_id}/new", "POST")] == ([FORUM_MODEL], [FORUM_MODEL, TOPIC])
    assert routes[("/forum/{forum_id}/new/audited", "POST")] == ([FORUM_MODEL], [AUDIT, FORUM_MODEL, TOPIC])


def test_a_method_called_on_an_instance_of_unknown_origin_keeps_both_branches() -> None:
    # Why: `topic` is loaded, or built when there is none: both paths of save() may run (the audit
    # row still not: `audit` is left to its default).
    assert routes_of(FORUM)[("/bump/{topic_id}", "POST")] == ([TOPIC], [FORUM_MODEL, TOPIC])


HELPERS = {
    **CTF,
    "ctf/users.py": """
        from flask import Blueprint, session
        from ctf import db
        from ctf.models import Notes, Users

        users = Blueprint("users", __name__)

        def get_current_user():
            user = Users.query.filter_by(id=session["id"]).first()
            return user

        def count_notes():
            return Notes.query.count()

        @users.route("/me", methods=["PATCH"])
        def rename():
            user = get_current_user()
            user.name = "renamed"
            db.session.commit()
            return "ok"

        @users.route("/stats", methods=["POST"])
        def stats():
            total = count_notes()
            db.session.add(total)
            db.session.commit()
            return str(total)
    """,
}


def test_a_function_of_ours_returning_a_row_gives_an_instance_of_its_model() -> None:
    routes = routes_of(HELPERS)
    # Why: get_current_user() returns the row `.first()` gives: setting its name and committing writes Users.
    assert routes[("/me", "PATCH")] == ([FIELDS, "ctf.models:UserFieldEntries", USERS], [USERS])
    # Why: `.count()` gives a number, not a row: adding it to the session writes nothing.
    assert routes[("/stats", "POST")] == ([NOTES], [])


CACHED = {
    **CTF,
    "ctf/cache.py": """
        from flask_caching import Cache

        cache = Cache()
    """,
    "ctf/auth.py": """
        import functools
        from flask import Blueprint, abort, session
        from ctf.cache import cache
        from ctf.models import Configs, Notes, Users

        auth = Blueprint("auth", __name__)

        @cache.memoize(timeout=300)
        def get_user_attrs(user_id):
            return Users.query.filter_by(id=user_id).first()

        def is_admin():
            return get_user_attrs(session["id"]).name == "admin"

        def admins_only(f):
            @functools.wraps(f)
            def admins_only_wrapper(*args, **kwargs):
                if not is_admin():
                    abort(403)
                return f(*args, **kwargs)
            return admins_only_wrapper

        def logged_only(f):
            @functools.wraps(f)
            def logged_only_wrapper(*args, **kwargs):
                if Configs.query.filter_by(key="closed").first():
                    abort(403)
                return f(*args, **kwargs)
            return logged_only_wrapper

        @auth.route("/admin/notes")
        @admins_only
        def admin_notes():
            return str(Notes.query.all())

        @auth.route("/profile")
        def profile():
            return str(get_user_attrs(session["id"]))

        @auth.route("/notes")
        @logged_only
        def notes():
            return str(Notes.query.all())
    """,
}


def test_a_memoized_lookup_asked_by_every_request_is_served_from_its_cache() -> None:
    routes = routes_of(CACHED)
    # Why: admins_only's wrapper runs on every request; the user lookup it asks is memoized, so it is
    # answered from the cache: the route reads its notes.
    assert routes[("/admin/notes", "GET")] == ([NOTES], [])
    # Why: a view asking the memoized lookup itself may miss the cache: it reads the user.
    assert routes[("/profile", "GET")] == ([FIELDS, "ctf.models:UserFieldEntries", USERS], [])
    # Why: a wrapper's own query (not memoized) runs on every request.
    assert routes[("/notes", "GET")] == ([CONFIG, NOTES], [])
