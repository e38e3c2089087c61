"""Data access in a Flask + SQLAlchemy + flask-login app written like microblog: who reads and writes what.

Each route is checked for the exact models and tables it reads and writes: the logged-in
user (`current_user`, an instance of what the `user_loader` returns), attributes set and
then committed, model methods that change `self` or add rows, relationship collections
stored in an association table, queries written with SQLAlchemy 2 statements, forms that
set fields, and raw SQL.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

BLOG = {
    "blog/__init__.py": """
        from flask import Flask
        from flask_login import LoginManager
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        login = LoginManager()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            login.init_app(app)
            from blog.main import bp
            app.register_blueprint(bp)
            return app
    """,
    "blog/models.py": """
        import sqlalchemy as sa
        from flask_login import UserMixin
        from blog import db, login

        followers = db.Table(
            "followers",
            db.Column("follower_id", db.Integer, db.ForeignKey("user.id")),
            db.Column("followed_id", db.Integer, db.ForeignKey("user.id")),
        )

        class User(UserMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            username = db.Column(db.String(64))
            token = db.Column(db.String(32))
            posts = db.relationship("Post", backref="author", lazy="dynamic")
            followed = db.relationship(
                "User",
                secondary=followers,
                primaryjoin=(followers.c.follower_id == id),
                secondaryjoin=(followers.c.followed_id == id),
                backref=db.backref("followers", lazy="dynamic"),
                lazy="dynamic",
            )

            def follow(self, user):
                if not self.is_following(user):
                    self.followed.append(user)

            def unfollow(self, user):
                if self.is_following(user):
                    self.followed.remove(user)

            def is_following(self, user):
                return self.followed.filter(followers.c.followed_id == user.id).count() > 0

            def followed_posts(self):
                return Post.query.join(followers, followers.c.followed_id == Post.user_id)

            def get_token(self):
                self.token = "t0k3n"
                return self.token

            def add_notification(self, name):
                db.session.add(Notification(name=name, user_id=self.id))

        class Post(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            body = db.Column(db.String(140))
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))

        class Notification(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(128))
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))

        @login.user_loader
        def load_user(id):
            return db.session.get(User, int(id))
    """,
    "blog/main.py": """
        import sqlalchemy as sa
        from flask import Blueprint, render_template, request
        from flask_login import current_user, login_required
        from blog import db
        from blog.models import Post, User

        bp = Blueprint("main", __name__)

        @bp.route("/edit_profile", methods=["GET", "POST"])
        @login_required
        def edit_profile():
            current_user.username = request.form["username"]
            db.session.commit()
            return render_template("edit_profile.html")

        @bp.route("/follow/<username>", methods=["POST"])
        @login_required
        def follow(username):
            user = User.query.filter_by(username=username).first_or_404()
            current_user.follow(user)
            db.session.commit()
            return "ok"

        @bp.route("/unfollow/<username>", methods=["POST"])
        @login_required
        def unfollow(username):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            current_user.unfollow(user)
            db.session.commit()
            return "ok"

        @bp.route("/index")
        @login_required
        def index():
            posts = current_user.followed_posts().all()
            return render_template("index.html", posts=posts)

        @bp.route("/token", methods=["POST"])
        def token():
            value = current_user.get_token()
            db.session.commit()
            return value

        @bp.route("/ping")
        def ping():
            current_user.add_notification("ping")
            db.session.commit()
            return "pong"

        @bp.route("/preview", methods=["POST"])
        def preview():
            post = Post.query.get_or_404(request.form["id"])
            post.body = request.form["body"]
            return render_template("preview.html", post=post)

        @bp.route("/post/<id>/edit", methods=["POST"])
        def edit_post(id):
            post = db.get_or_404(Post, id)
            form = request.form
            form.populate_obj(post)
            db.session.commit()
            return "ok"

        @bp.route("/purge", methods=["POST"])
        def purge():
            db.session.execute(sa.delete(Post).where(Post.user_id == current_user.id))
            db.session.commit()
            return "ok"

        @bp.route("/stats")
        def stats():
            db.session.execute(sa.text("UPDATE post SET body = lower(body)"))
            rows = db.session.execute(sa.text("SELECT count(*) FROM audit_log JOIN followers ON 1 = 1"))
            return str(rows)
    """,
}

USER, POST, NOTIFICATION, FOLLOWERS = (
    "blog.models:User",
    "blog.models:Post",
    "blog.models:Notification",
    "table:followers",
)


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_the_association_table_is_reported_on_the_relation_that_owns_it() -> None:
    found = recognize(link(facts_of(BLOG)), load_heuristics())
    user = next(m for m in found.models if m.symbol == USER)
    followed = next(r for r in user.relations if r.field == "followed")
    assert followed.through == FOLLOWERS
    # Why: a relationship without `secondary` has no table of its own.
    posts = next(r for r in user.relations if r.field == "posts")
    assert posts.through is None


def test_current_user_is_the_user_loader_model() -> None:
    routes = routes_of(BLOG)
    # Why: current_user is a User (load_user returns one); the attribute set is committed.
    assert routes["/edit_profile"] == ([], [USER])
    # Why: User.follow appends to the `followed` collection, stored in `followers`; reading
    # `self.followed` reads User through that table.
    assert routes["/follow/{username}"] == ([USER, FOLLOWERS], [FOLLOWERS])
    assert routes["/unfollow/{username}"] == ([USER, FOLLOWERS], [FOLLOWERS])
    # Why: a model method that sets `self.token`, committed by the view; calling a method of
    # current_user loads the user (flask-login's loader runs at its first use in the request).
    assert routes["/token"] == ([USER], [USER])
    # Why: a model method that adds a row of another model.
    assert routes["/ping"] == ([USER], [NOTIFICATION])
    # Why: a query built in a model method called on current_user.
    assert routes["/index"] == ([POST, USER], [])


def test_attribute_writes_without_a_commit_are_not_writes() -> None:
    routes = routes_of(BLOG)
    # Why: the post is changed for a preview, never committed.
    assert routes["/preview"] == ([POST], [])
    # Why: populate_obj sets the form's fields on the post, then the session is committed.
    assert routes["/post/{id}/edit"] == ([POST], [POST])


def test_statements_and_raw_sql_name_their_tables() -> None:
    routes = routes_of(BLOG)
    # Why: `delete(Post)` writes Post; raw SQL maps `post` to its model and keeps unmapped tables.
    assert routes["/purge"] == ([USER], [POST])  # `current_user.id` loads the user
    assert routes["/stats"] == (["table:audit_log", FOLLOWERS], [POST])


def test_without_a_user_loader_current_user_is_nothing() -> None:
    project = dict(BLOG)
    project["blog/models.py"] = BLOG["blog/models.py"].replace("@login.user_loader", "")
    routes = routes_of(project)
    # Why: with no loader registered nothing says what current_user is: no guess.
    assert routes["/edit_profile"] == ([], [])
    assert routes["/token"] == ([], [])


API = {
    **BLOG,
    "blog/api.py": """
        from flask import Blueprint
        from flask_httpauth import HTTPBasicAuth
        from flask_wtf import FlaskForm
        from blog import db
        from blog.models import Notification, User

        api = Blueprint("api", __name__)
        basic_auth = HTTPBasicAuth()

        @basic_auth.verify_password
        def verify_password(username, password):
            user = User.query.filter_by(username=username).first()
            return user

        class RenameForm(FlaskForm):
            def validate_username(self, field):
                if db.session.scalar(db.select(Notification).where(Notification.name == field.data)):
                    raise ValueError("taken")

        @api.route("/api/token", methods=["POST"])
        @basic_auth.login_required
        def token():
            value = basic_auth.current_user().get_token()
            db.session.commit()
            return value

        @api.route("/rename", methods=["POST"])
        def rename():
            form = RenameForm()
            if form.validate_on_submit():
                return "ok"
            return "no"

        @api.route("/clear", methods=["POST"])
        def clear():
            user = db.session.get(User, 1)
            db.session.execute(user.notifications.delete().where(Notification.name == "x"))
            seen = set()
            seen.add(user)
            db.session.commit()
            return "ok"
    """,
}
API["blog/models.py"] = BLOG["blog/models.py"].replace(
    "token = db.Column(db.String(32))",
    'token = db.Column(db.String(32)); notifications = db.relationship("Notification")',
)


def test_httpauth_current_user_and_its_callbacks() -> None:
    routes = routes_of(API)
    # Why: the view is guarded by basic_auth, whose verify_password loads the User; current_user()
    # is that User, and get_token sets an attribute the view commits.
    assert routes["/api/token"] == ([USER], [USER])


def test_form_validation_runs_the_form_validators() -> None:
    # Why: validate_on_submit() calls the form's validate_<field> methods, which query Notification.
    assert routes_of(API)["/rename"] == ([NOTIFICATION], [])


def test_a_statement_clause_is_not_a_read_and_a_set_is_no_relation() -> None:
    # Why: `.delete().where(...)` on a relationship is one DELETE; `seen.add(user)` adds to a set.
    assert routes_of(API)["/clear"] == ([USER], [NOTIFICATION])


EAGER = {
    **BLOG,
    "blog/extra.py": """
        from flask import Blueprint
        from blog import db
        from blog.models import Post

        extra = Blueprint("extra", __name__)

        class Bracket(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Team(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            bracket_id = db.Column(db.Integer, db.ForeignKey("bracket.id"))
            bracket = db.relationship("Bracket", lazy="joined")
            posts = db.relationship("Post", lazy="select")

        def has_column(model, field):
            return model.__mapper__.has_property(field)

        @extra.route("/teams")
        def teams():
            has_column(Post, "body")
            if not issubclass(Post, db.Model):
                return ""
            return str(Team.query.all())
    """,
}


def test_eager_relationships_load_with_their_model_and_metadata_is_no_query() -> None:
    # Why: `lazy="joined"` loads Bracket in the same query as Team; `lazy="select"` waits for an
    # access. `model.__mapper__` reads the mapping, not the table; `issubclass(Post, ...)` reads nothing.
    assert routes_of(EAGER)["/teams"] == (["blog.extra:Bracket", "blog.extra:Team"], [])


VIEWS = {
    **BLOG,
    "blog/views.py": """
        from functools import wraps
        from flask import redirect
        from flask.views import MethodView
        from flask_login import current_user, login_required
        from blog.models import Post

        def anonymous_required(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                if current_user.is_authenticated:
                    return redirect("/")
                return f(*args, **kwargs)
            return wrapper

        class Register(MethodView):
            decorators = [anonymous_required]

            def get(self):
                return "form"

        class Drafts(MethodView):
            decorators = [login_required]

            def get(self):
                return str(Post.query.all())

        class Archive(MethodView):
            def get(self):
                current_user = {"name": "archive"}
                return str(current_user.get("name"))
    """,
    "blog/urls.py": """
        from blog.main import bp
        from blog.views import Archive, Drafts, Register

        bp.add_url_rule("/register", view_func=Register.as_view("register"))
        bp.add_url_rule("/drafts", view_func=Drafts.as_view("drafts"))
        bp.add_url_rule("/archive", view_func=Archive.as_view("archive"))
    """,
}


def test_a_view_class_runs_the_wrappers_its_decorators_list_names() -> None:
    routes = routes_of(VIEWS)
    # Why: `decorators = [anonymous_required]` wraps every method; the wrapper tests current_user,
    # which loads the user.
    assert routes["/register"] == ([USER], [])
    # Why: flask-login's own login_required is outside code: it adds nothing the app's code reads.
    assert routes["/drafts"] == ([POST], [])
    # Why: a local that happens to be called current_user is no logged-in user.
    assert routes["/archive"] == ([], [])


ROWS = {
    **BLOG,
    "blog/api.py": """
        from flask import Blueprint
        from blog import db
        from blog.models import User

        api = Blueprint("api", __name__)
        cache = {}

        @api.route("/api/users/<int:id>/feed")
        def feed(id):
            return str(db.get_or_404(User, id).followed_posts().all())

        @api.route("/api/users/<int:id>/token", methods=["POST"])
        def token(id):
            value = User.query.get(id).get_token()
            db.session.commit()
            return value

        @api.route("/api/cached/<key>")
        def cached(key):
            return cache.get(key).decode()
    """,
}


def test_a_row_fetched_by_its_class_reaches_the_methods_called_on_it() -> None:
    routes = routes_of(ROWS)
    # Why: `db.get_or_404(User, id)` is a User row: followed_posts() is User's method, querying Post.
    assert routes["/api/users/{id}/feed"] == ([POST, USER], [])
    # Why: `User.query.get(id)` is a row too: get_token() sets its token, which the view commits.
    assert routes["/api/users/{id}/token"] == ([USER], [USER])
    # Why: `.get(key)` on something that is no model class gives no row.
    assert routes["/api/cached/{key}"] == ([], [])


PERMISSIONS = {
    **BLOG,
    "blog/permissions.py": """
        import functools
        from flask import abort
        from flask_login import current_user


        class require_permissions:
            def __init__(self, permissions):
                self.permissions = permissions

            def __call__(self, fn):
                @functools.wraps(fn)
                def decorated(*args, **kwargs):
                    if not current_user.is_following(current_user):
                        abort(403)
                    return fn(*args, **kwargs)

                return decorated


        def require_permission(permission):
            return require_permissions((permission,))


        def require_admin(fn):
            return require_permission("admin")(fn)


        def unchecked(fn):
            return fn
    """,
    "blog/admin.py": """
        from flask import Blueprint
        from blog.models import Post
        from blog.permissions import require_admin, require_permission, unchecked

        admin = Blueprint("admin", __name__)

        @admin.route("/admin/posts")
        @require_admin
        def posts():
            return str(Post.query.count())

        @admin.route("/admin/drafts")
        @require_permission("drafts")
        def drafts():
            return str(Post.query.count())

        @admin.route("/admin/open")
        @unchecked
        def open_posts():
            return str(Post.query.count())
    """,
}


def test_a_wrapper_built_by_a_helper_or_an_instances_call_runs_with_the_view() -> None:
    found = recognize(link(facts_of(PERMISSIONS)), load_heuristics())
    routes = {route.path: (route.handler, route.reads) for route in found.routes}
    # Why: `require_admin` hands back what `require_permissions.__call__` builds; the wrapper checks the
    # logged-in user's follows (the user and the association table) before the view runs.
    assert routes["/admin/posts"] == ("blog.admin:posts", [POST, USER, FOLLOWERS])
    # Why: an instance used as a decorator runs its `__call__`'s wrapper too.
    assert routes["/admin/drafts"] == ("blog.admin:drafts", [POST, USER, FOLLOWERS])
    # Why: a decorator handing back the function itself adds nothing.
    assert routes["/admin/open"] == ("blog.admin:open_posts", [POST])
