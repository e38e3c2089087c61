from flask import flash, g, redirect, render_template, request, url_for

from shop.extensions import db, login_required
from shop.notifications import notifications_bp
from shop.notifications.models import NotificationPreference
from shop.notifications.tasks import send_email_message, send_sms

BOOLEAN_FIELDS = ("email_receipts", "email_shipping", "sms_shipping", "marketing_emails")


@notifications_bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    prefs = NotificationPreference.for_user(g.user)
    if request.method == "POST":
        for field in BOOLEAN_FIELDS:
            setattr(prefs, field, request.form.get(field) == "on")
        prefs.sms_number = request.form.get("sms_number") or None
        if prefs.sms_shipping and not prefs.sms_target:
            flash("Add a phone number to receive text messages.", "warning")
            prefs.sms_shipping = False
        db.session.commit()
        flash("Notification preferences saved.", "success")
        return redirect(url_for(".preferences"))
    return render_template("notifications/preferences.html", prefs=prefs)


@notifications_bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    prefs = NotificationPreference.query.filter_by(unsubscribe_token=token).first_or_404()
    prefs.marketing_emails = False
    db.session.commit()
    return render_template("notifications/preferences.html", prefs=None, unsubscribed=True)


@notifications_bp.post("/test")
@login_required
def send_test_message():
    prefs = NotificationPreference.for_user(g.user)
    if request.form.get("channel") == "sms" and prefs.sms_target:
        send_sms.delay(prefs.sms_target, "Test message from Flask Shop.")
    else:
        send_email_message.apply_async(
            args=[g.user.email, "Test message", "Your notifications are working."],
            queue="notifications",
        )
    flash("Test message queued.", "info")
    return redirect(url_for(".preferences"))
