import secrets
from datetime import datetime

from shop.extensions import db


def _token():
    return secrets.token_urlsafe(24)


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), unique=True, nullable=False)
    email_receipts = db.Column(db.Boolean, nullable=False, default=True)
    email_shipping = db.Column(db.Boolean, nullable=False, default=True)
    sms_shipping = db.Column(db.Boolean, nullable=False, default=False)
    marketing_emails = db.Column(db.Boolean, nullable=False, default=False)
    sms_number = db.Column(db.String(32))
    unsubscribe_token = db.Column(db.String(64), unique=True, nullable=False, default=_token)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    user = db.relationship("User", back_populates="notification_preference")

    @classmethod
    def for_user(cls, user):
        """The user's preferences, created with defaults on first use."""
        if user.notification_preference is None:
            user.notification_preference = cls()
            db.session.commit()
        return user.notification_preference

    @property
    def sms_target(self):
        return self.sms_number or self.user.phone
