from datetime import datetime

from shop.extensions import db


class Category(db.Model):
    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    slug = db.Column(db.String(120), unique=True, nullable=False, index=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id"))
    position = db.Column(db.Integer, nullable=False, default=0)

    parent = db.relationship("Category", remote_side=[id], back_populates="children")
    children = db.relationship("Category", back_populates="parent", order_by="Category.position")
    products = db.relationship("Product", back_populates="category", lazy="dynamic")

    def to_dict(self):
        return {"id": self.id, "name": self.name, "slug": self.slug, "parent_id": self.parent_id}


class Product(db.Model):
    __tablename__ = "products"

    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(40), unique=True, nullable=False)
    name = db.Column(db.String(200), nullable=False)
    slug = db.Column(db.String(220), unique=True, nullable=False, index=True)
    description = db.Column(db.Text, default="")
    price_cents = db.Column(db.Integer, nullable=False)
    sale_price_cents = db.Column(db.Integer)
    sale_ends_at = db.Column(db.DateTime)
    currency = db.Column(db.String(3), nullable=False, default="USD")
    image_filename = db.Column(db.String(255))
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    units_sold = db.Column(db.Integer, nullable=False, default=0)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), index=True)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    category = db.relationship("Category", back_populates="products")
    stock = db.relationship("StockItem", back_populates="product", uselist=False,
                            cascade="all, delete-orphan")
    order_items = db.relationship("OrderItem", back_populates="product")

    @property
    def in_stock(self):
        return self.stock is not None and self.stock.available > 0

    def to_dict(self, price_cents=None):
        data = {key: getattr(self, key) for key in ("id", "sku", "name", "slug", "description", "currency")}
        data.update(price_cents=self.price_cents if price_cents is None else price_cents,
                    in_stock=self.in_stock, image=self.image_filename,
                    category=self.category.slug if self.category else None)
        return data


class StockItem(db.Model):
    __tablename__ = "stock_items"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), unique=True, nullable=False)
    warehouse = db.Column(db.String(20), nullable=False, default="MAIN")
    quantity = db.Column(db.Integer, nullable=False, default=0)
    reserved = db.Column(db.Integer, nullable=False, default=0)
    reorder_level = db.Column(db.Integer, nullable=False, default=5)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    product = db.relationship("Product", back_populates="stock")

    @property
    def available(self):
        return self.quantity - self.reserved
