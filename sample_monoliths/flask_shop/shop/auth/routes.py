from datetime import datetime

from flask import flash, g, redirect, render_template, request, session, url_for

from shop.auth import auth_bp
from shop.auth.models import Address, User
from shop.extensions import db, login_required
from shop.notifications.models import NotificationPreference
from shop.orders.models import Order


@auth_bp.before_app_request
def load_logged_in_user():
    user_id = session.get("user_id")
    g.user = db.session.get(User, user_id) if user_id is not None else None


def _safe_next(default):
    target = request.args.get("next") or request.form.get("next")
    # only allow relative redirects back into the shop
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


@auth_bp.route("/register", methods=["GET", "POST"])
def register():
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()
        password = request.form.get("password") or ""
        error = None
        if not email or "@" not in email:
            error = "A valid email address is required."
        elif len(password) < 8:
            error = "Password must be at least 8 characters."
        elif User.query.filter_by(email=email).first() is not None:
            error = f"{email} is already registered."
        if error is None:
            user = User(email=email, full_name=request.form.get("full_name"))
            user.set_password(password)
            user.notification_preference = NotificationPreference()
            db.session.add(user)
            db.session.commit()
            session.clear()
            session["user_id"] = user.id
            flash("Welcome to Flask Shop!", "success")
            return redirect(url_for("catalog.index"))
        flash(error, "danger")
    return render_template("auth/register.html")


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()
        user = User.query.filter_by(email=email).first()
        if user is None or not user.check_password(request.form.get("password") or ""):
            flash("Incorrect email or password.", "danger")
            return render_template("auth/login.html"), 401
        session.clear()
        session["user_id"] = user.id
        user.last_login_at = datetime.utcnow()
        db.session.commit()
        return redirect(_safe_next(url_for("catalog.index")))
    return render_template("auth/login.html")


@auth_bp.post("/logout")
def logout():
    session.clear()
    flash("You have been logged out.", "info")
    return redirect(url_for("catalog.index"))


@auth_bp.get("/profile")
@login_required
def profile():
    recent_orders = g.user.orders.order_by(Order.created_at.desc()).limit(5).all()
    return render_template("auth/profile.html", user=g.user, recent_orders=recent_orders)


@auth_bp.post("/profile")
@login_required
def update_profile():
    g.user.full_name = request.form.get("full_name", g.user.full_name)
    g.user.phone = request.form.get("phone") or None
    db.session.commit()
    flash("Profile updated.", "success")
    return redirect(url_for(".profile"))


@auth_bp.route("/addresses", methods=["POST"])
@login_required
def add_address():
    form = request.form
    if not all(form.get(k) for k in ("line1", "city", "postcode")):
        flash("Street, city and postcode are required.", "danger")
        return redirect(url_for(".profile"))
    address = Address(label=form.get("label") or "Home", line1=form["line1"], line2=form.get("line2"),
                      city=form["city"], postcode=form["postcode"],
                      country=(form.get("country") or "US").upper()[:2], is_default=not g.user.addresses)
    g.user.addresses.append(address)
    db.session.commit()
    return redirect(_safe_next(url_for(".profile")))


@auth_bp.route("/addresses/<int:address_id>/delete", methods=["POST"])
@login_required
def delete_address(address_id):
    address = Address.query.filter_by(id=address_id, user_id=g.user.id).first_or_404()
    db.session.delete(address)
    db.session.commit()
    flash("Address removed.", "info")
    return redirect(url_for(".profile"))
