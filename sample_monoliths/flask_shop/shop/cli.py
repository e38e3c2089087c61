"""``flask`` commands for developers and the ops box."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from shop.auth.models import Address, User
from shop.catalog.models import Category, Product, StockItem
from shop.extensions import db
from shop.notifications.models import NotificationPreference
from shop.utils import slugify

ops_cli = AppGroup("ops", help="Operational jobs (run from cron/supervisord on the ops box).")

SEED_CATEGORIES = {
    "Electronics": ["Headphones", "Cameras"],
    "Books": ["Fiction", "Cookbooks"],
    "Home & Kitchen": ["Coffee"],
}
SEED_PRODUCTS = [
    ("Headphones", "Studio Monitor Headphones", 12900),
    ("Headphones", "Noise-Cancelling Earbuds", 19900),
    ("Cameras", "Mirrorless Camera Body", 149900),
    ("Cameras", "50mm f/1.8 Prime Lens", 21900),
    ("Fiction", "The Long Migration (paperback)", 1499),
    ("Cookbooks", "Salt, Fat, Acid, Heat", 3500),
    ("Coffee", "Burr Coffee Grinder", 17900),
    ("Coffee", "Espresso Machine Pro", 189900),
]


@click.command("seed-db")
@click.option("--drop", is_flag=True, help="Drop all tables first.")
@with_appcontext
def seed_db_command(drop):
    """Create tables and load demo categories, products and users."""
    if drop:
        db.drop_all()
    db.create_all()
    categories = {}
    for position, (parent_name, children) in enumerate(SEED_CATEGORIES.items()):
        parent = Category(name=parent_name, slug=slugify(parent_name), position=position)
        db.session.add(parent)
        for child_name in children:
            categories[child_name] = Category(name=child_name, slug=slugify(child_name), parent=parent)
    for n, (category, name, price) in enumerate(SEED_PRODUCTS, start=1):
        product = Product(sku=f"SKU-{n:05d}", name=name, slug=slugify(name), price_cents=price,
                          category=categories[category])
        product.stock = StockItem(quantity=25, reorder_level=3)
        db.session.add(product)
    for email, is_admin in (("admin@shop.example", True), ("customer@shop.example", False)):
        user = User(email=email, full_name=email.split("@")[0].title(), is_admin=is_admin)
        user.set_password("password123")
        user.notification_preference = NotificationPreference()
        user.addresses.append(Address(line1="1 Main St", city="Springfield", postcode="12345",
                                      is_default=True))
        db.session.add(user)
    db.session.commit()
    click.echo(f"Seeded {len(SEED_PRODUCTS)} products and 2 users.")


@ops_cli.command("reindex")
@click.option("--async", "run_async", is_flag=True, help="Queue it instead of running here.")
def reindex_command(run_async):
    """Rebuild the search index (about 40 minutes on production data)."""
    from shop.catalog.tasks import reindex_catalogue

    if run_async:
        click.echo(f"queued {reindex_catalogue.delay().id}")
    else:
        click.echo(f"indexed {reindex_catalogue()} products")


@ops_cli.command("watch-stock")
@click.option("--interval", default=60, show_default=True, help="Seconds between polls.")
def watch_stock_command(interval):
    """Poll stock levels forever and alert purchasing."""
    from shop.catalog.stock_watcher import watch_stock_levels

    watch_stock_levels(current_app._get_current_object(), interval=interval)


def register_commands(app):
    app.cli.add_command(seed_db_command)
    app.cli.add_command(ops_cli)

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.password_option()
    def create_admin(email, password):
        """Create (or promote) a back-office user."""
        user = User.query.filter_by(email=email.lower()).first() or User(email=email.lower())
        user.set_password(password)
        user.is_admin = True
        db.session.add(user)
        db.session.commit()
        click.echo(f"{user.email} is now an admin.")
