"""A method our own decorator wraps, called on an instance: the instance is the first argument.

`settings.get(event, "title")` where `get` is `@event_or_id def get(self, event, name)` and the
decorator returns `def wrapper(self, event, *args)`: the wrapper's `self` (and the method's) is
`settings`, its `event` the call's first argument, not the other way round.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.link import link

SETTINGS = {
    "conf/__init__.py": "",
    "conf/proxies.py": """
        from functools import wraps

        def event_or_id(f):
            @wraps(f)
            def wrapper(self, event, *args, **kwargs):
                return f(self, int(event), *args, **kwargs)
            return wrapper

        def logged(f):
            @wraps(f)
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs)
            return wrapper

        class EventSettings:
            @event_or_id
            def get(self, event, name):
                return self.fetch(name)

            @logged
            def put(self, event, name):
                return name

            def fetch(self, name):
                return name

        class Event:
            pass

        @event_or_id
        def describe(owner, event):
            return owner

        settings = EventSettings()

        def view():
            event = Event()
            settings.put(event, "title")
            describe(settings, event)
            return settings.get(event, "title")
    """,
}


def _name(name: str) -> Expr:
    return (ExprKind.NAME, name, (), ())


def _values(graphs: LinkedGraphs, scope: str, name: str) -> set[str]:
    return set(graphs.resolver.values(f"conf.proxies:{scope}", _name(name)))


def test_a_wrapped_method_called_on_an_instance_gets_the_instance_first() -> None:
    graphs = link(facts_of(SETTINGS))
    # Why: `settings.get(event, ...)` passes `settings` to the wrapper's `self` and `event` to its `event`;
    # the wrapper hands both on to the method in the same order.
    assert _values(graphs, "event_or_id.wrapper", "self") >= {"obj:conf.proxies:EventSettings"}
    assert "obj:conf.proxies:Event" in _values(graphs, "event_or_id.wrapper", "event")
    assert _values(graphs, "EventSettings.get", "self") == {"obj:conf.proxies:EventSettings"}
    assert _values(graphs, "EventSettings.get", "event") == {"obj:conf.proxies:Event"}
    # Why: a wrapper taking `*args` holds the instance in `args`; the method's parameters still line up.
    assert _values(graphs, "EventSettings.put", "self") == {"obj:conf.proxies:EventSettings"}
    assert _values(graphs, "EventSettings.put", "event") == {"obj:conf.proxies:Event"}


def test_a_wrapped_function_binds_its_arguments_as_written() -> None:
    graphs = link(facts_of(SETTINGS))
    # Why: `describe` is no method: nothing is passed before the call's own arguments.
    assert _values(graphs, "describe", "owner") == {"obj:conf.proxies:EventSettings"}
    assert _values(graphs, "describe", "event") == {"obj:conf.proxies:Event"}
    assert "obj:conf.proxies:Event" not in _values(graphs, "event_or_id.wrapper", "self")
