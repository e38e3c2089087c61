from datetime import datetime

from werkzeug.security import check_password_hash, generate_password_hash

from shop.extensions import db


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False, index=True)
    password_hash = db.Column(db.String(255), nullable=False)
    full_name = db.Column(db.String(120))
    phone = db.Column(db.String(32))
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    loyalty_points = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)
    last_login_at = db.Column(db.DateTime)

    addresses = db.relationship("Address", back_populates="user", cascade="all, delete-orphan",
                                order_by="Address.id")
    orders = db.relationship("Order", back_populates="user", foreign_keys="Order.user_id", lazy="dynamic")
    notification_preference = db.relationship("NotificationPreference", back_populates="user", uselist=False,
                                              cascade="all, delete-orphan")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def default_address(self):
        for address in self.addresses:
            if address.is_default:
                return address
        return self.addresses[0] if self.addresses else None

    def __repr__(self):
        return f"<User {self.email}>"


class Address(db.Model):
    __tablename__ = "addresses"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    label = db.Column(db.String(40), default="Home")
    line1 = db.Column(db.String(200), nullable=False)
    line2 = db.Column(db.String(200))
    city = db.Column(db.String(100), nullable=False)
    postcode = db.Column(db.String(20), nullable=False)
    country = db.Column(db.String(2), nullable=False, default="US")
    is_default = db.Column(db.Boolean, nullable=False, default=False)

    user = db.relationship("User", back_populates="addresses")

    def one_line(self):
        parts = [self.line1, self.line2, self.city, self.postcode, self.country]
        return ", ".join(p for p in parts if p)
