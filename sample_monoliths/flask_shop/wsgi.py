"""WSGI entry point.

    gunicorn --worker-class eventlet -w 1 --bind 0.0.0.0:8000 wsgi:app

(one eventlet worker per box: Socket.IO needs sticky sessions otherwise.)
"""
import os

from shop import create_app
from shop.extensions import socketio

app = create_app(os.environ.get("FLASK_CONFIG", "default"))

if __name__ == "__main__":
    socketio.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
