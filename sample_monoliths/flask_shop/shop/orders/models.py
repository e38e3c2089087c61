import uuid
from datetime import datetime

from shop.extensions import db


def _order_number():
    return "SO-" + uuid.uuid4().hex[:10].upper()


class Order(db.Model):
    __tablename__ = "orders"

    STATUS_PENDING = "pending"
    STATUS_RESERVED = "reserved"
    STATUS_AWAITING_APPROVAL = "awaiting_approval"
    STATUS_APPROVED = "approved"
    STATUS_PAID = "paid"
    STATUS_FULFILLING = "fulfilling"
    STATUS_SHIPPED = "shipped"
    STATUS_CANCELLED = "cancelled"
    STATUS_REJECTED = "rejected"
    STATUS_PAYMENT_FAILED = "payment_failed"
    STATUS_BACKORDERED = "backordered"
    CANCELLABLE = (STATUS_PENDING, STATUS_RESERVED, STATUS_AWAITING_APPROVAL)

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(32), unique=True, nullable=False, default=_order_number)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    shipping_address_id = db.Column(db.Integer, db.ForeignKey("addresses.id"))
    approved_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    status = db.Column(db.String(20), nullable=False, default=STATUS_PENDING, index=True)
    currency = db.Column(db.String(3), nullable=False, default="USD")
    subtotal_cents = db.Column(db.Integer, nullable=False, default=0)
    tax_cents = db.Column(db.Integer, nullable=False, default=0)
    shipping_cents = db.Column(db.Integer, nullable=False, default=0)
    total_cents = db.Column(db.Integer, nullable=False, default=0)
    requires_approval = db.Column(db.Boolean, nullable=False, default=False)
    stock_reserved = db.Column(db.Boolean, nullable=False, default=False)
    rejection_reason = db.Column(db.String(255))
    payment_token = db.Column(db.String(64))
    workflow_id = db.Column(db.String(64))
    invoice_filename = db.Column(db.String(255))
    created_at = db.Column(db.DateTime, default=datetime.utcnow, index=True)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    user = db.relationship("User", back_populates="orders", foreign_keys=[user_id])
    approved_by = db.relationship("User", foreign_keys=[approved_by_id])
    shipping_address = db.relationship("Address")
    items = db.relationship("OrderItem", back_populates="order", cascade="all, delete-orphan")
    payment = db.relationship("Payment", back_populates="order", uselist=False)
    shipment = db.relationship("Shipment", back_populates="order", uselist=False)

    def to_dict(self, with_items=True):
        fields = ("id", "number", "status", "currency", "subtotal_cents", "tax_cents", "shipping_cents",
                  "total_cents", "requires_approval")
        data = {name: getattr(self, name) for name in fields}
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        if with_items:
            data["items"] = [item.to_dict() for item in self.items]
        if self.shipment is not None:
            data["tracking_number"] = self.shipment.tracking_number
        return data


class OrderItem(db.Model):
    __tablename__ = "order_items"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price_cents = db.Column(db.Integer, nullable=False)

    order = db.relationship("Order", back_populates="items")
    product = db.relationship("Product", back_populates="order_items")

    @property
    def line_total_cents(self):
        return self.quantity * self.unit_price_cents

    def to_dict(self):
        return {"product_id": self.product_id, "sku": self.product.sku if self.product else None,
                "quantity": self.quantity, "unit_price_cents": self.unit_price_cents}


class Payment(db.Model):
    __tablename__ = "payments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, unique=True)
    provider = db.Column(db.String(30), nullable=False, default="gateway")
    provider_ref = db.Column(db.String(64))
    amount_cents = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), nullable=False, default="USD")
    status = db.Column(db.String(20), nullable=False, default="pending")
    created_at = db.Column(db.DateTime, default=datetime.utcnow)

    order = db.relationship("Order", back_populates="payment")


class Shipment(db.Model):
    __tablename__ = "shipments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, unique=True)
    carrier = db.Column(db.String(30), nullable=False, default="UPS")
    tracking_number = db.Column(db.String(64))
    status = db.Column(db.String(20), nullable=False, default="label_created")
    shipped_at = db.Column(db.DateTime)
    delivered_at = db.Column(db.DateTime)

    order = db.relationship("Order", back_populates="shipment")
