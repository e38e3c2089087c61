"""Link stage: cross-module name resolution, the call graph, the import graph and what the resolver answers.

Every test builds facts the way the pipeline does (`parse_file` on dedented
snippets with explicit module names), links them, and asserts the exact
edges leaving a caller, the exact unresolved calls, or the exact qualified
names of an expression taken from the snippet's own facts. Each behaviour has
a positive case and a negative one (an edge or resolution that must not exist).
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from migrate_scan.model.facts import CallFact, Expr, ExprKind, FileFacts, dotted_name
from migrate_scan.model.graphs import LinkedGraphs, UnresolvedCall
from migrate_scan.model.ids import Location
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest, parse_file

# -- helpers --------------------------------------------------------------------------------------


def module_of(path: str) -> tuple[str, bool]:
    """`pkg/__init__.py` → (`pkg`, True); `pkg/views.py` → (`pkg.views`, False)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def facts_of(files: Mapping[str, str]) -> list[FileFacts]:
    """Parse dedented snippets keyed by relative path; the module name and is_package come from the path."""
    parsed = []
    for path, source in files.items():
        module, is_package = module_of(path)
        result = parse_file(ParseRequest(path, module, is_package, textwrap.dedent(source).encode("utf-8")))
        assert isinstance(result, FileFacts), result
        parsed.append(result)
    return parsed


def linked(files: Mapping[str, str]) -> LinkedGraphs:
    return link(facts_of(files))


def callees(graphs: LinkedGraphs, caller: str) -> set[str]:
    """The exact set of functions one caller calls (summary edges through wrappers left out)."""
    assert caller in graphs.call_graph, f"{caller} is not a node"
    edges = graphs.call_graph.out_edges(caller, data=True)
    return {callee for _, callee, data in edges if not data.get("wrapped_call")}


def wrapped_callees(graphs: LinkedGraphs, caller: str) -> set[str]:
    """The functions a caller reaches through our own decorators' wrappers."""
    edges = graphs.call_graph.out_edges(caller, data=True)
    return {callee for _, callee, data in edges if data.get("wrapped_call")}


def facts_for(graphs: LinkedGraphs, module: str) -> FileFacts:
    return graphs.modules[module]


def call_fact(graphs: LinkedGraphs, module: str, callee_text: str, nth: int = 0) -> CallFact:
    """The nth call in `module` whose callee is the dotted name `callee_text` (source order)."""
    found = [c for c in facts_for(graphs, module).calls if dotted_name(c.call[2][0]) == callee_text]
    assert len(found) > nth, f"no call #{nth} to {callee_text} in {module}"
    return found[nth]


def callee_expr(graphs: LinkedGraphs, module: str, callee_text: str, nth: int = 0) -> tuple[str, Expr]:
    """(scope symbol, callee expression) of a call in the snippet: what a recognizer would ask about."""
    fact = call_fact(graphs, module, callee_text, nth)
    scope = f"{module}:{fact.scope}" if fact.scope else module
    return scope, fact.call[2][0]


def assigned_value(graphs: LinkedGraphs, module: str, target: str) -> tuple[str, Expr]:
    """(scope symbol, value expression) of the first assignment to the plain name `target` in `module`."""
    for fact in facts_for(graphs, module).assignments:
        if any(t[0] == ExprKind.NAME and t[1] == target for t in fact.targets):
            assert fact.value is not None
            return (f"{module}:{fact.scope}" if fact.scope else module), fact.value
    raise AssertionError(f"no assignment to {target} in {module}")


def line_of(source: str, marker: str) -> int:
    """1-based line of the first line of the dedented source containing `marker`."""
    for number, text in enumerate(textwrap.dedent(source).splitlines(), start=1):
        if marker in text:
            return number
    raise AssertionError(f"{marker!r} not in source")


def lambda_name(source: str, marker: str) -> str:
    """`<lambda@line:col>` of the first lambda on the line containing `marker`."""
    line = line_of(source, marker)
    text = textwrap.dedent(source).splitlines()[line - 1]
    return f"<lambda@{line}:{text.index('lambda')}>"


def unresolved_of(graphs: LinkedGraphs, caller: str) -> list[UnresolvedCall]:
    return [u for u in graphs.unresolved_calls if u.caller == caller]


# -- imports --------------------------------------------------------------------------------------


def test_import_module_as_alias() -> None:
    graphs = linked(
        {
            "a/__init__.py": "",
            "a/b.py": "def f(): pass\n",
            "app.py": """
                import a.b as c

                def main():
                    c.f()     # the alias names the submodule
                    c.g()     # a.b has no g: nothing to reach
                    a.b.f()   # `import a.b as c` does not bind `a`
            """,
        }
    )
    assert callees(graphs, "app:main") == {"a.b:f"}
    assert sorted(u.callee_text for u in unresolved_of(graphs, "app:main")) == ["a.b.f", "c.g"]


def test_import_dotted_aliased_as_its_own_package_binds_the_submodule() -> None:
    graphs = linked(
        {
            "geo/__init__.py": "def top(): pass\n",
            "geo/views.py": "def infowindow(): pass\n",
            "geo/urls.py": """
                import geo.views as geo

                def main():
                    geo.infowindow()  # the alias names geo.views, though it is spelled like the package
                    geo.top()         # the package's own function is not reachable through the alias
            """,
        }
    )
    assert callees(graphs, "geo.urls:main") == {"geo.views:infowindow"}
    assert [u.callee_text for u in unresolved_of(graphs, "geo.urls:main")] == ["geo.top"]


def test_import_plain_dotted_binds_top_package() -> None:
    graphs = linked(
        {
            "a/__init__.py": "def top(): pass\n",
            "a/b.py": "def f(): pass\n",
            "app.py": """
                import a.b

                def main():
                    a.b.f()
                    a.top()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"a.b:f", "a:top"}
    assert unresolved_of(graphs, "app:main") == []


def test_import_dotted_through_namespace_package() -> None:
    graphs = linked(
        {
            "services/email.py": "def send(): pass\n",  # no services/__init__.py: a namespace package
            "app.py": """
                import services.email

                def main():
                    services.email.send()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"services.email:send"}


def test_external_dotted_import_names_the_submodule() -> None:
    graphs = linked(
        {
            "app.py": """
                import os.path
                from os.path import join

                def dotted():
                    os.path.join("a", "b")

                def direct():
                    join("a", "b")
            """,
        }
    )
    assert callees(graphs, "app:direct") == {"os.path:join"}
    assert callees(graphs, "app:dotted") == {"os.path:join"}


def test_from_import_as_alias() -> None:
    graphs = linked(
        {
            "x.py": "def y(): pass\ndef other(): pass\n",
            "app.py": """
                from x import y as z

                def main():
                    z()
                    y()   # only `z` is bound
            """,
        }
    )
    assert callees(graphs, "app:main") == {"x:y"}
    assert [u.callee_text for u in unresolved_of(graphs, "app:main")] == ["y"]


def test_reexport_through_package_init() -> None:
    graphs = linked(
        {
            "pkg/__init__.py": "from .mod import f\n",
            "pkg/mod.py": "def f(): pass\ndef g(): pass\n",
            "app.py": """
                from pkg import f
                from pkg import g   # not re-exported by pkg/__init__.py

                def main():
                    f()
                    g()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"pkg.mod:f"}
    assert [u.callee_text for u in unresolved_of(graphs, "app:main")] == ["g"]
    scope, expr = callee_expr(graphs, "app", "f")
    assert graphs.resolver.qualified_names(scope, expr) == ("pkg.mod.f",)


def test_reexport_chain_through_two_packages() -> None:
    graphs = linked(
        {
            "outer/__init__.py": "from .inner import f\n",
            "outer/inner/__init__.py": "from .impl import f\n",
            "outer/inner/impl.py": "def f(): pass\n",
            "app.py": "import outer\nouter.f()\n",
        }
    )
    assert callees(graphs, "app") == {"outer.inner.impl:f"}


def test_relative_imports_from_package_init() -> None:
    graphs = linked(
        {
            "pkg/__init__.py": """
                from .views import index
                from . import models

                index()
                models.save()
            """,
            "pkg/views.py": "def index(): pass\n",
            "pkg/models.py": "def save(): pass\n",
            # `.` in a package's __init__ is the package itself, never the top level: this index is not reached
            "views.py": "def index(): pass\n",
        }
    )
    assert callees(graphs, "pkg") == {"pkg.views:index", "pkg.models:save"}


def test_relative_imports_from_plain_module() -> None:
    graphs = linked(
        {
            "pkg/__init__.py": "",
            "pkg/helpers.py": "def h(): pass\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/helpers.py": "def h(): pass\n",
            "pkg/sub/views.py": """
                from .helpers import h
                from ..helpers import h as parent_h
                from .. import helpers

                def view():
                    h()
                    parent_h()
                    helpers.h()
            """,
        }
    )
    # `.` from pkg.sub.views is pkg.sub (not pkg.sub.views), `..` is pkg
    assert callees(graphs, "pkg.sub.views:view") == {"pkg.sub.helpers:h", "pkg.helpers:h"}
    scope, expr = callee_expr(graphs, "pkg.sub.views", "h")
    assert graphs.resolver.qualified_names(scope, expr) == ("pkg.sub.helpers.h",)
    scope, expr = callee_expr(graphs, "pkg.sub.views", "helpers.h")
    assert graphs.resolver.qualified_names(scope, expr) == ("pkg.helpers.h",)


def test_relative_import_escaping_the_top_is_not_resolved() -> None:
    graphs = linked(
        {
            "helpers.py": "def h(): pass\n",
            "app.py": """
                from .helpers import h   # app is a top-level module: this import fails at run time

                def main():
                    h()
            """,
        }
    )
    assert callees(graphs, "app:main") == set()
    assert [u.callee_text for u in unresolved_of(graphs, "app:main")] == ["h"]
    assert not graphs.import_graph.has_edge("app", "helpers")


def test_star_import_public_names_only() -> None:
    graphs = linked(
        {
            "tools.py": """
                def public(): pass
                def _private(): pass
            """,
            "app.py": """
                from tools import *

                def main():
                    public()
                    _private()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"tools:public"}
    assert [u.callee_text for u in unresolved_of(graphs, "app:main")] == ["_private"]


def test_star_import_chained_and_local_definition_wins() -> None:
    graphs = linked(
        {
            "base.py": "def a(): pass\ndef b(): pass\n",
            "middle.py": "from base import *\n",
            "app.py": """
                from middle import *

                def b(): pass

                def main():
                    a()   # base.a, through two star imports
                    b()   # the module's own b, not base.b
            """,
        }
    )
    assert callees(graphs, "app:main") == {"base:a", "app:b"}


def test_star_import_of_external_module() -> None:
    graphs = linked({"app.py": "from os.path import *\njoin('a', 'b')\n_hidden()\n"})
    assert callees(graphs, "app") == {"os.path:join"}
    assert [u.callee_text for u in graphs.unresolved_calls] == ["_hidden"]


def test_external_star_import_does_not_hide_internal_one() -> None:
    graphs = linked(
        {
            "tools.py": "def public(): pass\n",
            "app.py": """
                from os.path import *
                from tools import *

                public()
            """,
        }
    )
    assert callees(graphs, "app") == {"tools:public"}


def test_external_star_import_does_not_hide_builtins() -> None:
    graphs = linked({"app.py": "from flask import *\n\nlen([])\n"})
    assert callees(graphs, "app") == {"builtins:len"}


def test_later_star_import_wins() -> None:
    graphs = linked(
        {
            "a.py": "def f(): pass\n",
            "b.py": "def f(): pass\n",
            "app.py": "from a import *\nfrom b import *\n\nf()\n",
        }
    )
    assert callees(graphs, "app") == {"b:f"}


def test_star_import_honours_dunder_all() -> None:
    graphs = linked(
        {
            "tools.py": """
                __all__ = ["listed", "_exported"]

                def listed(): pass
                def hidden(): pass
                def _exported(): pass
            """,
            "app.py": """
                from tools import *

                def main():
                    listed()
                    hidden()
                    _exported()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"tools:listed", "tools:_exported"}
    assert [u.callee_text for u in unresolved_of(graphs, "app:main")] == ["hidden"]


def test_module_level_alias() -> None:
    graphs = linked(
        {
            "app.py": """
                def f(): pass
                def unrelated(): pass

                g = f
                g()
            """,
        }
    )
    assert callees(graphs, "app") == {"app:f"}
    assert "app:g" not in graphs.call_graph  # an alias is not a definition
    scope, expr = callee_expr(graphs, "app", "g")
    assert graphs.resolver.qualified_names(scope, expr) == ("app.f",)


def test_alias_imported_from_another_module() -> None:
    graphs = linked(
        {
            "impl.py": "def f(): pass\nalias = f\n",
            "app.py": "from impl import alias\nalias()\n",
        }
    )
    assert callees(graphs, "app") == {"impl:f"}


# -- classes: self, super, cls, staticmethod, instantiation -------------------------------------

DIAMOND = {
    "shapes/__init__.py": "",
    "shapes/base.py": """
        class A:
            def hello(self): pass
            def only_ac(self): pass
            def only_a(self): pass
    """,
    "shapes/left.py": """
        from shapes.base import A

        class B(A):
            def hello(self): pass
    """,
    "shapes/right.py": """
        from shapes import base

        class C(base.A):
            def hello(self): pass
            def only_ac(self): pass
    """,
    "shapes/bottom.py": """
        from shapes.left import B
        from shapes.right import C

        class D(B, C):
            def hello(self):
                super().hello()

            def run(self):
                self.hello()
                self.only_ac()
                self.only_a()
    """,
}


def test_diamond_mro_is_c3() -> None:
    graphs = linked(DIAMOND)
    assert graphs.resolver.ancestors("shapes.bottom:D") == (
        "shapes.left:B",
        "shapes.right:C",
        "shapes.base:A",
    )
    assert graphs.resolver.ancestors("shapes.left:B") == ("shapes.base:A",)
    assert graphs.resolver.ancestors("shapes.base:A") == ()


def test_self_method_through_diamond() -> None:
    graphs = linked(DIAMOND)
    # C3 puts C before A: only_ac is C's (depth-first order would have picked A's)
    assert callees(graphs, "shapes.bottom:D.run") == {
        "shapes.bottom:D.hello",
        "shapes.right:C.only_ac",
        "shapes.base:A.only_a",
    }


def test_super_through_diamond() -> None:
    graphs = linked(DIAMOND)
    # super() in D starts after D: B.hello, not C.hello or A.hello (calling `super` itself is a builtin call)
    assert callees(graphs, "shapes.bottom:D.hello") == {"builtins:super", "shapes.left:B.hello"}


def test_a_mixin_after_an_outside_base_answers_too() -> None:
    graphs = linked(
        {
            "app.py": """
                from flask_sqlalchemy import SQLAlchemy

                db = SQLAlchemy()

                class Permissions:
                    def has_permission(self, name):
                        return name in self.names

                class User(db.Model, Permissions):
                    def check(self):
                        return self.has_permission("admin") and self.is_active()
            """,
        }
    )
    found = graphs.resolver.class_attribute("app:User", "has_permission")
    # Why: the outside base may define it, or the mixin after it does: both are candidates.
    assert "bnd:app:Permissions.has_permission" in found
    assert any(v.startswith("ext:") for v in found)
    assert "app:Permissions.has_permission" in callees(graphs, "app:User.check")
    # Why: a name no class of the tree defines is the outside base's alone.
    assert all(v.startswith("ext:") for v in graphs.resolver.class_attribute("app:User", "is_active"))


def test_cooperative_super_follows_the_receivers_mro() -> None:
    graphs = linked(
        {
            "app.py": """
                class A:
                    def hello(self): pass

                class B(A):
                    def hello(self):
                        super().hello()

                class C(A):
                    def hello(self):
                        super().hello()

                class D(B, C):
                    pass

                D().hello()
            """,
        }
    )
    # self in B.hello is a D: the next class in D's MRO after B is C
    assert "app:C.hello" in callees(graphs, "app:B.hello")


def test_self_method_resolves_in_subclass_instance_not_sibling() -> None:
    graphs = linked(
        {
            "base.py": """
                class Base:
                    def run(self):
                        self.step()
                    def step(self): pass
            """,
            "impl.py": """
                from base import Base

                class Impl(Base):
                    def step(self): pass

                class Sibling(Base):
                    def step(self): pass

                Impl().run()
            """,
        }
    )
    # `self` in Base.run may be a Base or an Impl (it was called on one); no Sibling was ever made
    assert callees(graphs, "base:Base.run") == {"base:Base.step", "impl:Impl.step"}


def test_cls_method_in_classmethod() -> None:
    graphs = linked(
        {
            "app.py": """
                class Base:
                    def __init__(self): pass

                    @classmethod
                    def create(cls):
                        cls.build()
                        return cls()

                    @classmethod
                    def build(cls): pass

                class Sub(Base):
                    @classmethod
                    def build(cls): pass

                class Unrelated:
                    @classmethod
                    def build(cls): pass

                Base.create()
                Sub.create()
            """,
        }
    )
    assert callees(graphs, "app:Base.create") == {"app:Base.build", "app:Sub.build", "app:Base.__init__"}
    assert callees(graphs, "app") == {"app:Base.create"}


def test_classmethod_called_on_an_instance_binds_cls() -> None:
    graphs = linked(
        {
            "app.py": """
                class Base:
                    @classmethod
                    def create(cls):
                        cls.build()

                    @classmethod
                    def build(cls): pass

                class Sub(Base):
                    @classmethod
                    def build(cls): pass

                Sub().create()
            """,
        }
    )
    assert callees(graphs, "app:Base.create") == {"app:Base.build", "app:Sub.build"}


def test_staticmethod_is_not_bound() -> None:
    graphs = linked(
        {
            "app.py": """
                def task(): pass
                def other(): pass

                class Tools:
                    @staticmethod
                    def call(fn):
                        fn()

                    def use(self):
                        self.call(task)

                Tools.call(other)
            """,
        }
    )
    # the first argument reaches `fn` (no receiver is taken off a staticmethod's parameters)
    assert callees(graphs, "app:Tools.use") == {"app:Tools.call"}
    assert callees(graphs, "app") == {"app:Tools.call"}
    assert callees(graphs, "app:Tools.call") == {"app:task", "app:other"}


def test_instantiation_reaches_init() -> None:
    graphs = linked(
        {
            "base.py": """
                class Base:
                    def __init__(self): pass
            """,
            "models.py": """
                from base import Base
                from flask.views import MethodView

                class Child(Base):
                    pass

                class Own(Base):
                    def __init__(self):
                        super().__init__()

                class View(MethodView):
                    pass
            """,
            "app.py": """
                from models import Child, Own, View as V

                def main():
                    Child()
                    Own()
                    V()
            """,
        }
    )
    assert callees(graphs, "app:main") == {
        "base:Base.__init__",  # Child inherits Base's __init__
        "models:Own.__init__",
        "flask.views:MethodView.__init__",  # inherited from an external base
    }
    assert callees(graphs, "models:Own.__init__") == {"builtins:super", "base:Base.__init__"}
    assert "models:Child.__init__" not in graphs.call_graph


def test_class_without_init_is_resolved_without_edge() -> None:
    graphs = linked(
        {
            "app.py": """
                class Plain:
                    def method(self): pass

                def main():
                    Plain()
            """,
        }
    )
    assert callees(graphs, "app:main") == set()
    assert graphs.unresolved_calls == []
    assert graphs.resolved_calls == 1


# -- decorators ----------------------------------------------------------------------------------


def test_library_decorator_keeps_the_function() -> None:
    graphs = linked(
        {
            "views.py": """
                from flask import Flask

                app = Flask(__name__)

                def helper(): pass

                @app.route("/")
                def index():
                    helper()
            """,
            "main.py": """
                from views import index

                def run():
                    index()
            """,
        }
    )
    assert callees(graphs, "main:run") == {"views:index"}
    assert callees(graphs, "views:index") == {"views:helper"}
    # applying the decorator: `app.route("/")` is a call to flask; the decorator itself is not ours: no edge to it
    assert callees(graphs, "views") == {"flask:Flask", "flask:Flask.route"}


def test_own_decorator_with_functools_wraps() -> None:
    source = """
        import functools

        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)
            return wrapper

        @logged
        def work(): pass

        def main():
            work()
    """
    graphs = linked({"app.py": source})
    assert callees(graphs, "app:main") == {"app:logged.wrapper"}  # not app:work directly
    assert callees(graphs, "app:logged.wrapper") == {"app:work"}
    assert callees(graphs, "app:logged") == {"functools:wraps"}
    # applying @logged at import time calls it from the module body, at the definition's line
    assert callees(graphs, "app") == {"app:logged"}
    assert graphs.call_graph.edges["app", "app:logged"]["line"] == line_of(source, "def work")


def test_decorator_factory_application_edges() -> None:
    graphs = linked(
        {
            "app.py": """
                def retry(times):
                    def decorate(fn):
                        return fn
                    return decorate

                @retry(3)
                def job(): pass

                def main():
                    job()
            """,
        }
    )
    # retry(3) is a call; applying what it returns calls decorate; decorate returns fn itself
    assert callees(graphs, "app") == {"app:retry", "app:retry.decorate"}
    assert callees(graphs, "app:main") == {"app:job"}


def test_a_parameterised_base_is_its_generic_class() -> None:
    graphs = linked(
        {
            "views.py": """
                from typing import Generic, TypeVar
                from rest_framework.viewsets import ModelViewSet

                T = TypeVar("T")

                class Base(Generic[T]):
                    def helper(self): pass

                class Documents(ModelViewSet["Document"]):
                    pass

                class Tags(Base[int]):
                    pass
            """,
        }
    )
    assert "rest_framework.viewsets.ModelViewSet" in graphs.resolver.ancestors("views:Documents")
    assert "views:Base" in graphs.resolver.ancestors("views:Tags")


def test_registering_decorator_binds_each_name_to_its_own_definition() -> None:
    graphs = linked(
        {
            "reg.py": """
                registry = []

                def register(model, name=""):
                    def wrapper(cls):
                        registry.append((model, name, cls))
                        return cls
                    return wrapper

                def tracked(fn):
                    registry.append(fn)
                    return fn

                def wrapping(fn):
                    def inner(*args):
                        return fn(*args)
                    return inner
            """,
            "views.py": """
                from reg import register, tracked, wrapping

                @register("a", "edit")
                class AEdit: pass

                @register("b", "edit")
                class BEdit: pass

                @tracked
                def one(): pass

                @tracked
                def two(): pass

                @wrapping
                def three(): pass

                def main():
                    one()
                    three()
            """,
        }
    )
    resolver = graphs.resolver
    assert resolver.values("views", (ExprKind.NAME, "AEdit", (), ())) == {"cls:views:AEdit"}
    assert resolver.values("views", (ExprKind.NAME, "two", (), ())) == {"def:views:two"}
    # a decorator that returns its own wrapper still binds the name to that wrapper
    assert callees(graphs, "views:main") == {"views:one", "reg:wrapping.inner"}


def test_a_registering_decorator_that_may_switch_its_definition_off_still_binds_it() -> None:
    graphs = linked(
        {
            "reg.py": """
                registry = []

                def resource(*urls):
                    def wrapper(cls):
                        if not cls:
                            return None
                        registry.append((urls, cls))
                        return cls
                    return wrapper

                def show_if(enabled):
                    def switch(inner):
                        if not enabled:
                            return
                        return inner
                    return switch

                def never(fn):
                    return None
            """,
            "views.py": """
                from reg import never, resource, show_if

                @resource("/a")
                class A: pass

                @resource("/b")
                @show_if(True)
                class B: pass

                @never
                class C: pass
            """,
        }
    )
    resolver = graphs.resolver
    assert resolver.values("views", (ExprKind.NAME, "A", (), ())) == {"cls:views:A"}
    assert resolver.values("views", (ExprKind.NAME, "B", (), ())) == {"cls:views:B"}
    assert "cls:views:C" not in resolver.values("views", (ExprKind.NAME, "C", (), ()))  # gives nothing back


def test_a_wrapper_handed_back_through_a_wraps_call_wraps_the_decorated_function() -> None:
    graphs = linked(
        {
            "access.py": """
                from functools import wraps

                def user_access(check):
                    def decorator(view_fn):
                        def _wrapped_view(request):
                            return view_fn(request)

                        return wraps(view_fn)(_wrapped_view)

                    return decorator

                def unwrapped(check):
                    def decorator(view_fn):
                        def inner(request):
                            return view_fn(request)

                        return inner

                    return decorator

                def login_required(func):
                    return user_access(None)(func)

                def plain(func):
                    return unwrapped(None)(func)
            """,
            "views.py": """
                from access import login_required, plain

                @login_required
                def edit(request): pass

                @plain
                def other(request): pass
            """,
        }
    )
    assert graphs.resolver.values("views", (ExprKind.NAME, "edit", (), ())) == {
        "wrap:access:user_access.decorator._wrapped_view|views:edit"
    }
    # a helper's closure without `wraps` stands for itself: not for the function it was given
    assert graphs.resolver.values("views", (ExprKind.NAME, "other", (), ())) == {"def:access:unwrapped.decorator.inner"}


def test_method_decorated_with_own_decorator() -> None:
    graphs = linked(
        {
            "svc.py": """
                def traced(fn):
                    def inner(self):
                        return fn(self)
                    return inner

                class Service:
                    @traced
                    def handle(self): pass

                    def go(self):
                        self.handle()
            """,
        }
    )
    assert callees(graphs, "svc:Service.go") == {"svc:traced.inner"}
    assert callees(graphs, "svc:traced.inner") == {"svc:Service.handle"}
    assert callees(graphs, "svc:Service") == {"svc:traced"}


def test_own_decorator_imported_from_another_module() -> None:
    graphs = linked(
        {
            "deco.py": """
                def traced(fn):
                    def inner():
                        return fn()
                    return inner
            """,
            "app.py": """
                from deco import traced

                @traced
                def work(): pass

                def main():
                    work()
            """,
        }
    )
    assert callees(graphs, "deco:traced.inner") == {"app:work"}
    assert callees(graphs, "app:main") == {"deco:traced.inner"}


def test_class_used_as_decorator() -> None:
    graphs = linked(
        {
            "app.py": """
                class register:
                    def __init__(self, fn):
                        self.fn = fn

                    def __call__(self):
                        return self.fn()

                @register
                def job(): pass

                def main():
                    job()
            """,
        }
    )
    assert callees(graphs, "app") == {"app:register.__init__"}
    assert callees(graphs, "app:main") == {"app:register.__call__"}
    assert callees(graphs, "app:register.__call__") == {"app:job"}


# -- nested functions, closures, lambdas --------------------------------------------------------


def test_nested_function_and_returned_closure() -> None:
    graphs = linked(
        {
            "app.py": """
                def helper(): pass

                def outer():
                    def inner():
                        helper()
                    inner()
                    return inner

                def use():
                    f = outer()
                    f()

                def wrong():
                    inner()   # not visible outside outer
            """,
        }
    )
    assert callees(graphs, "app:outer") == {"app:outer.inner"}
    assert callees(graphs, "app:outer.inner") == {"app:helper"}
    assert callees(graphs, "app:use") == {"app:outer", "app:outer.inner"}
    assert callees(graphs, "app:wrong") == set()
    assert [u.callee_text for u in unresolved_of(graphs, "app:wrong")] == ["inner"]


def test_closure_over_a_parameter() -> None:
    graphs = linked(
        {
            "app.py": """
                def task(): pass
                def not_passed(): pass

                def make(callback):
                    def run():
                        callback()
                    return run

                make(task)()
            """,
        }
    )
    assert callees(graphs, "app:make.run") == {"app:task"}
    assert callees(graphs, "app") == {"app:make", "app:make.run"}


def test_class_body_names_are_not_visible_in_methods() -> None:
    graphs = linked(
        {
            "app.py": """
                def helper(): pass

                class K:
                    def helper(self): pass

                    def run(self):
                        helper()   # the module's helper: class scope is skipped
            """,
        }
    )
    assert callees(graphs, "app:K.run") == {"app:helper"}


def test_lambdas_are_symbols() -> None:
    source = """
        def process(x): pass
        def score(x): pass
        def unused(x): pass

        handler = lambda x: process(x)
        handler(1)

        def rank(items):
            return sorted(items, key=lambda v: score(v))
    """
    graphs = linked({"app.py": source})
    module_lambda = "app:" + lambda_name(source, "handler = lambda")
    rank_lambda = "app:rank." + lambda_name(source, "key=lambda")
    assert module_lambda == "app:<lambda@6:10>"
    assert module_lambda in graphs.definitions
    assert rank_lambda in graphs.definitions
    assert callees(graphs, "app") == {module_lambda}
    assert callees(graphs, module_lambda) == {"app:process"}
    # sorted calls its key on rank's behalf
    assert callees(graphs, "app:rank") == {"builtins:sorted", rank_lambda}
    assert callees(graphs, rank_lambda) == {"app:score"}


# -- instance types -------------------------------------------------------------------------------

TYPES = {
    "kinds.py": """
        class Cls:
            def m(self): pass

        class Other:
            def m(self): pass
            def run(self): pass

        class Third:
            def run(self): pass
    """,
}


def test_instance_from_assignment() -> None:
    graphs = linked(
        {
            **TYPES,
            "app.py": """
                from kinds import Cls

                def main():
                    x = Cls()
                    x.m()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"kinds:Cls.m"}  # Cls has no __init__; Other.m is not reached


def test_instance_from_parameter_annotation() -> None:
    graphs = linked(
        {
            **TYPES,
            "app.py": """
                from kinds import Cls

                def annotated(x: Cls):
                    x.m()

                def bare(x):
                    x.m()   # nobody calls bare: x is unknown
            """,
        }
    )
    assert callees(graphs, "app:annotated") == {"kinds:Cls.m"}
    assert callees(graphs, "app:bare") == set()
    assert [u.callee_text for u in unresolved_of(graphs, "app:bare")] == ["x.m"]


def test_instance_from_return_annotation_and_inferred_return() -> None:
    graphs = linked(
        {
            **TYPES,
            "app.py": """
                from kinds import Cls, Other

                def declared() -> Cls: ...

                def make():
                    return Other()

                def main():
                    declared().m()
                    make().m()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"app:declared", "app:make", "kinds:Cls.m", "kinds:Other.m"}
    # each `.m()` resolves to its own class only, never to both
    method_calls = [c for c in facts_for(graphs, "app").calls if c.call[2][0][0] == ExprKind.ATTRIBUTE]
    resolved = [graphs.resolver.qualified_names(f"app:{c.scope}", c.call[2][0]) for c in method_calls]
    assert resolved == [("kinds.Cls.m",), ("kinds.Other.m",)]


def test_instance_attribute_set_in_init() -> None:
    graphs = linked(
        {
            **TYPES,
            "app.py": """
                from kinds import Other, Third

                class A:
                    def __init__(self):
                        self.attr = Other()

                    def go(self):
                        self.attr.run()

                class B:
                    def __init__(self):
                        self.attr = Third()
            """,
        }
    )
    assert callees(graphs, "app:A.go") == {"kinds:Other.run"}  # not B's Third.run


# -- rebinding -----------------------------------------------------------------------------------


def test_straight_line_rebinding_takes_the_latest() -> None:
    graphs = linked(
        {
            "app.py": """
                def f1(): pass
                def f2(): pass

                def main():
                    a = f1
                    a = f2
                    a()

                def twice():
                    b = f1
                    b()
                    b = f2
                    b()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"app:f2"}
    assert callees(graphs, "app:twice") == {"app:f1", "app:f2"}
    first, second = call_fact(graphs, "app", "b", 0), call_fact(graphs, "app", "b", 1)
    assert graphs.resolver.values("app:twice", first.call[2][0], first.line) == {"def:app:f1"}
    assert graphs.resolver.values("app:twice", second.call[2][0], second.line) == {"def:app:f2"}


def test_module_level_straight_line_rebinding() -> None:
    graphs = linked({"app.py": "def f1(): pass\ndef f2(): pass\na = f1\na = f2\na()\n"})
    assert callees(graphs, "app") == {"app:f2"}


def test_conditional_rebinding_keeps_both() -> None:
    graphs = linked(
        {
            "app.py": """
                def f1(): pass
                def f2(): pass
                def f3(): pass

                def main(c):
                    a = f3
                    if c:
                        a = f1
                    else:
                        a = f2
                    a()
            """,
        }
    )
    # both branches are required; f3 (overwritten on both branches) may be kept by a flow-insensitive reading
    assert {"app:f1", "app:f2"} <= callees(graphs, "app:main") <= {"app:f1", "app:f2", "app:f3"}


def test_conditional_rebinding_without_prior_binding() -> None:
    graphs = linked(
        {
            "app.py": """
                def f1(): pass
                def f2(): pass
                def never(): pass

                def main(c):
                    if c:
                        a = f1
                    else:
                        a = f2
                    a()
            """,
        }
    )
    assert callees(graphs, "app:main") == {"app:f1", "app:f2"}


# -- external callees -----------------------------------------------------------------------------


def test_external_module_function() -> None:
    graphs = linked(
        {
            "app.py": """
                import requests
                from requests import post as send

                def main(url):
                    requests.get(url)
                    send(url)
            """,
        }
    )
    assert callees(graphs, "app:main") == {"requests:get", "requests:post"}
    assert graphs.call_graph.nodes["requests:get"]["external"] is True
    assert graphs.call_graph.nodes["app:main"]["external"] is False


def test_external_class_and_its_method() -> None:
    graphs = linked(
        {
            "mail.py": """
                import smtplib

                def send():
                    s = smtplib.SMTP("localhost")
                    s.sendmail("a", "b", "msg")
            """,
        }
    )
    assert callees(graphs, "mail:send") == {"smtplib:SMTP", "smtplib:SMTP.sendmail"}


def test_inherited_method_from_external_base() -> None:
    graphs = linked(
        {
            "views.py": """
                from flask.views import MethodView

                class ItemView(MethodView):
                    def get(self):
                        return self.render()

                    def render(self): pass

                    def post(self):
                        return self.dispatch_request()
            """,
        }
    )
    assert callees(graphs, "views:ItemView.post") == {"flask.views:MethodView.dispatch_request"}
    # a method the class defines itself is ours, not the base's
    assert callees(graphs, "views:ItemView.get") == {"views:ItemView.render"}


def test_builtins_and_shadowed_builtin() -> None:
    graphs = linked(
        {
            "app.py": """
                def count(xs):
                    return len(xs)

                def len(x): pass   # shadows the builtin in this whole module

                def after():
                    return len([])
            """,
            "other.py": "def size(xs):\n    return len(xs)\n",
        }
    )
    assert callees(graphs, "other:size") == {"builtins:len"}
    # the module-level def binds `len` in app: flow-insensitive, both calls reach it and never the builtin
    assert callees(graphs, "app:after") == {"app:len"}
    assert "builtins:len" not in callees(graphs, "app:count")


# -- unresolved calls ----------------------------------------------------------------------------


def test_unresolvable_calls_are_counted_never_guessed() -> None:
    source = """
        def a(): pass
        def b(): pass

        def dispatch(obj, name):
            getattr(obj, name)()

        def lookup(handlers, key):
            handlers[key]()

        def run(callback):
            callback()

        from plugins import load_handlers

        HANDLERS = load_handlers()

        def route(key):
            HANDLERS[key]()
    """
    graphs = linked({"svc/jobs.py": source})

    def at(marker: str) -> Location:
        return Location(file="svc/jobs.py", line=line_of(source, marker))

    assert graphs.unresolved_calls == [
        UnresolvedCall("svc.jobs:dispatch", at("getattr("), "getattr(...)"),
        UnresolvedCall("svc.jobs:lookup", at("handlers[key]"), "handlers[...]"),
        UnresolvedCall("svc.jobs:run", at("callback()"), "callback"),
        UnresolvedCall("svc.jobs:route", at("HANDLERS[key]"), "HANDLERS[...]"),
    ]
    assert callees(graphs, "svc.jobs:route") == set()
    assert callees(graphs, "svc.jobs:dispatch") == {"builtins:getattr"}  # the getattr call itself resolves
    assert callees(graphs, "svc.jobs:lookup") == set()
    assert callees(graphs, "svc.jobs:run") == set()
    assert set(graphs.call_graph.predecessors("svc.jobs:a")) == set()
    assert set(graphs.call_graph.predecessors("svc.jobs:b")) == set()


def test_unresolved_list_is_sorted_by_file_and_line() -> None:
    graphs = linked(
        {
            "b.py": "def f(x):\n    x()\n    x.y()\n",
            "a.py": "def g(z):\n    z()\n",
        }
    )
    assert [(u.location.file, u.location.line, u.callee_text) for u in graphs.unresolved_calls] == [
        ("a.py", 2, "z"),
        ("b.py", 2, "x"),
        ("b.py", 3, "x.y"),
    ]
    assert graphs.resolved_calls == 0


def test_parameter_becomes_resolved_once_a_caller_passes_it() -> None:
    graphs = linked(
        {
            "app.py": """
                def task(): pass

                def run(callback):
                    callback()

                def main():
                    run(callback=task)
            """,
        }
    )
    assert callees(graphs, "app:run") == {"app:task"}
    assert unresolved_of(graphs, "app:run") == []


# -- qualified names for recognizers --------------------------------------------------------------


def test_qualified_names_through_aliased_class() -> None:
    graphs = linked(
        {
            "shop/__init__.py": "",
            "shop/views.py": """
                from flask import Blueprint as BP

                bp = BP("x", __name__)

                @bp.route("/")
                def index(): pass
            """,
        }
    )
    scope, expr = callee_expr(graphs, "shop.views", "bp.route")
    assert scope == "shop.views"
    assert graphs.resolver.qualified_names(scope, expr) == ("flask.Blueprint.route",)
    scope, expr = assigned_value(graphs, "shop.views", "bp")
    assert graphs.resolver.qualified_names(scope, expr) == ("flask.Blueprint",)
    assert graphs.resolver.qualified_names(scope, expr[2][0]) == ("flask.Blueprint",)


def test_local_function_named_route_is_not_flask() -> None:
    graphs = linked(
        {
            "app.py": """
                import flask

                def route(path):
                    def deco(fn):
                        return fn
                    return deco

                @route("/")
                def index(): pass

                def view():
                    bp = Local()
                    bp.route("/")

                class Local:
                    def route(self, path): pass
            """,
        }
    )
    scope, expr = callee_expr(graphs, "app", "route")
    assert graphs.resolver.qualified_names(scope, expr) == ("app.route",)
    scope, expr = callee_expr(graphs, "app", "bp.route")
    assert scope == "app:view"
    assert graphs.resolver.qualified_names(scope, expr) == ("app.Local.route",)


def test_qualified_names_of_unknown_expression_is_empty() -> None:
    graphs = linked({"app.py": "def f(x):\n    x.route('/')\n"})
    scope, expr = callee_expr(graphs, "app", "x.route")
    assert graphs.resolver.qualified_names(scope, expr) == ()


# -- ancestors -----------------------------------------------------------------------------------


def test_ancestors_internal_and_external() -> None:
    graphs = linked(
        {
            "shop/__init__.py": "",
            "shop/models.py": """
                from django.db import models

                class A(models.Model):
                    pass

                class B(A):
                    pass

                class Unrelated:
                    pass
            """,
        }
    )
    assert graphs.resolver.ancestors("shop.models:A") == ("django.db.models.Model",)
    assert graphs.resolver.ancestors("shop.models:B") == ("shop.models:A", "django.db.models.Model")
    assert graphs.resolver.ancestors("shop.models:Unrelated") == ()


def test_builtin_bases_are_ancestors() -> None:
    graphs = linked(
        {
            "app.py": """
                class AppError(Exception):
                    pass

                class Registry(dict):
                    def add(self, key, value):
                        self.setdefault(key, value)
            """,
        }
    )
    assert graphs.resolver.ancestors("app:AppError") == ("builtins.Exception",)
    assert callees(graphs, "app:Registry.add") == {"builtins:dict.setdefault"}


def test_inheritance_cycle_terminates(within) -> None:
    # invalid at run time, but the link stage must still finish and resolve what it can
    graphs = within(
        lambda: linked(
            {
                "a.py": "from b import B\nclass A(B):\n    def m(self):\n        self.n()\n",
                "b.py": "from a import A\nclass B(A):\n    def n(self): pass\n",
            }
        ),
        30,
    )
    assert callees(graphs, "a:A.m") == {"b:B.n"}


def test_ancestors_through_aliased_reexported_base() -> None:
    graphs = linked(
        {
            "core/__init__.py": "from core.base import Base as CoreBase\n",
            "core/base.py": "class Base:\n    pass\n",
            "app.py": "from core import CoreBase\nclass Thing(CoreBase):\n    pass\n",
        }
    )
    assert graphs.resolver.ancestors("app:Thing") == ("core.base:Base",)


# -- import graph --------------------------------------------------------------------------------


def test_import_graph_internal_and_external() -> None:
    graphs = linked(
        {
            "pkg/__init__.py": "from . import views\n",
            "pkg/views.py": """
                import os
                import requests.adapters
                from pkg.models import Order
                from . import helpers
                from .missing import thing
            """,
            "pkg/models.py": "from django.db import models\nclass Order(models.Model):\n    pass\n",
            "pkg/helpers.py": "import pkg.models\n",
        }
    )
    graph = graphs.import_graph
    assert set(graph.successors("pkg")) == {"pkg.views"}
    assert set(graph.successors("pkg.views")) == {"os", "requests", "pkg.models", "pkg.helpers", "pkg"}
    assert set(graph.successors("pkg.models")) == {"django"}
    assert set(graph.successors("pkg.helpers")) == {"pkg.models"}
    for external in ("os", "requests", "django"):
        assert graph.nodes[external]["external"] is True
    for internal in ("pkg", "pkg.views", "pkg.models", "pkg.helpers"):
        assert graph.nodes[internal]["external"] is False
    assert "pkg.missing" not in graph  # an unknown internal submodule is attributed to its package
    assert not graph.has_edge("pkg.views", "pkg.views")


def test_import_graph_has_no_self_edge_and_skips_unresolved_relative() -> None:
    graphs = linked({"solo.py": "import solo\nfrom .. import nothing\n"})
    assert list(graphs.import_graph.edges) == []
    assert list(graphs.import_graph.nodes) == ["solo"]


# -- determinism ----------------------------------------------------------------------------------

DETERMINISM_PROJECT = {
    **DIAMOND,
    **TYPES,
    # more callees through one variable than the value-set cap holds: what is kept must not depend on hashing
    "fanout.py": "\n".join(
        [
            *(f"def f{i}(): pass" for i in range(40)),
            "",
            "def run():",
            "    for f in [" + ", ".join(f"f{i}" for i in range(40)) + "]:",
            "        f()",
            "",
        ]
    ),
    "app/__init__.py": "from .views import *\n",
    "app/views.py": """
        import requests
        from kinds import Cls, Other
        from shapes.bottom import D

        def a(): pass
        def b(): pass

        def index(handlers, key):
            if key:
                x = Cls()
            else:
                x = Other()
            x.m()
            D().run()
            requests.get("u")
            handlers[key]()
            fn = a
            fn = b
            fn()
    """,
}


def snapshot_of(graphs: LinkedGraphs) -> tuple[object, ...]:
    return (
        sorted(graphs.call_graph.edges(data=True), key=lambda e: (e[0], e[1])),
        sorted(graphs.call_graph.nodes(data=True), key=lambda n: n[0]),
        sorted(graphs.import_graph.edges(data=True), key=lambda e: (e[0], e[1])),
        list(graphs.unresolved_calls),
        graphs.resolved_calls,
    )


def test_linking_twice_is_identical() -> None:
    facts = facts_of(DETERMINISM_PROJECT)
    first = link(facts)
    from migrate_scan.stages.link import MAX_VALUES

    fanned = callees(first, "fanout:run")
    assert len(fanned) == MAX_VALUES and fanned < {f"fanout:f{i}" for i in range(40)}  # capped, never invented
    assert callees(first, "app.views:index") == {
        "kinds:Cls.m",
        "kinds:Other.m",
        "shapes.bottom:D.run",
        "requests:get",
        "app.views:b",
    }
    assert snapshot_of(first) == snapshot_of(link(facts))


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_order_is_identical(seed: int) -> None:
    facts = facts_of(DETERMINISM_PROJECT)
    shuffled = list(facts)
    random.Random(seed).shuffle(shuffled)
    assert snapshot_of(link(shuffled)) == snapshot_of(link(facts))


_CHILD_LINK = """
import json, sys, textwrap
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest, parse_file

facts = []
for path, (module, is_package, source) in json.load(sys.stdin).items():
    facts.append(parse_file(ParseRequest(path, module, is_package, textwrap.dedent(source).encode())))
graphs = link(facts)
json.dump(
    {
        "edges": sorted([a, b, d["line"]] for a, b, d in graphs.call_graph.edges(data=True)),
        "imports": sorted([a, b] for a, b in graphs.import_graph.edges),
        "unresolved": [[u.caller, u.location.file, u.location.line, u.callee_text] for u in graphs.unresolved_calls],
        "resolved": graphs.resolved_calls,
    },
    sys.stdout,
)
"""


def test_identical_across_hash_seeds() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the linked graphs must not."""
    import json
    import os
    import subprocess
    import sys

    payload = json.dumps({path: (*module_of(path), source) for path, source in DETERMINISM_PROJECT.items()})
    outputs = []
    for seed in ("0", "1", "12345"):
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD_LINK],
            input=payload,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(json.loads(completed.stdout))
    assert outputs[0]["edges"]  # the project does produce a graph
    assert outputs[0] == outputs[1] == outputs[2]


def test_project_read_from_disk(tmp_path: Path, write_tree) -> None:
    """The same project written to disk and read back in directory order links like the in-memory one."""
    root = write_tree(tmp_path / "proj", {p: textwrap.dedent(s) for p, s in DETERMINISM_PROJECT.items()})
    from_disk = []
    for path in sorted(root.rglob("*.py"), reverse=True):
        relative = path.relative_to(root).as_posix()
        module, is_package = module_of(relative)
        result = parse_file(ParseRequest(relative, module, is_package, path.read_bytes()))
        assert isinstance(result, FileFacts)
        from_disk.append(result)
    assert snapshot_of(link(from_disk)) == snapshot_of(linked(DETERMINISM_PROJECT))


def test_decorated_functions_are_reached_through_their_own_wrapper_only() -> None:
    # Why: one wrapper serves every function a decorator wraps; a closure through it would reach them all.
    graphs = linked(
        {
            "auth.py": """
                import functools

                def login_required(view):
                    @functools.wraps(view)
                    def wrapped(*args, **kwargs):
                        return view(*args, **kwargs)
                    return wrapped
            """,
            "views.py": """
                from auth import login_required

                @login_required
                def orders(): pass

                @login_required
                def invoices(): pass

                def dashboard():
                    return orders()
            """,
        }
    )
    assert callees(graphs, "views:dashboard") == {"auth:login_required.wrapped"}
    assert wrapped_callees(graphs, "views:dashboard") == {"views:orders"}  # not views:invoices
    shared = graphs.call_graph.get_edge_data("auth:login_required.wrapped", "views:orders")
    assert shared is not None and shared["via_decorator"] is True


def test_identical_across_hash_seeds_when_value_sets_overflow() -> None:
    """Why: past MAX_VALUES a set keeps only some values; which ones must not depend on hashing."""
    import json
    import os
    import subprocess
    import sys

    from migrate_scan.stages.link import MAX_VALUES

    count = MAX_VALUES + 8
    handlers = "\n".join(f"def handler_{i}(): pass" for i in range(count))
    registrations = "\n".join(f"dispatch(handler_{i})" for i in range(count))
    source = f"def dispatch(callback):\n    callback()\n\n{handlers}\n\n{registrations}\n"
    payload = json.dumps({"app.py": ("app", False, source)})
    outputs = []
    for seed in ("0", "7", "4242"):
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD_LINK],
            input=payload,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(json.loads(completed.stdout))
    reached = {edge[1] for edge in outputs[0]["edges"] if edge[0] == "app:dispatch"}
    assert len(reached) == MAX_VALUES  # the cap was hit
    assert outputs[0] == outputs[1] == outputs[2]


def test_overflowing_value_sets_are_counted_for_the_report() -> None:
    from migrate_scan.stages.link import MAX_VALUES

    count = MAX_VALUES + 8
    handlers = "\n".join(f"def handler_{i}(): pass" for i in range(count))
    registrations = "\n".join(f"dispatch(handler_{i})" for i in range(count))
    capped = link(facts_of({"app.py": f"def dispatch(callback):\n    callback()\n\n{handlers}\n\n{registrations}\n"}))
    # Why: `callback` was offered 40 functions and kept 32: one set, 8 values left out.
    assert (capped.solver.value_cap, capped.solver.capped_sets, capped.solver.refused_values) == (MAX_VALUES, 1, 8)

    under = link(facts_of({"app.py": "def dispatch(callback):\n    callback()\n\ndef h(): pass\n\ndispatch(h)\n"}))
    # Why: under the cap nothing is left out, so the report lists no limit.
    assert (under.solver.capped_sets, under.solver.refused_values) == (0, 0)


def test_qualified_names_of_expressions_built_for_the_question_are_not_confused() -> None:
    graphs = linked({"app.py": "import json\nimport os\n"})
    resolver = graphs.resolver
    # Why: each tuple is freed after its question, and CPython reuses the id for the next one;
    # a memo keyed by id alone answered `os` with `json`'s names.
    first = resolver.qualified_names("app", (ExprKind.NAME, "json", (), ()))
    second = resolver.qualified_names("app", (ExprKind.NAME, "os", (), ()))
    assert (first, second) == (("json",), ("os",))


def test_literal_containers_are_named_by_what_they_are_not_by_when_they_are_met() -> None:
    from migrate_scan.stages.link import SymbolTable

    facts = facts_of({"app.py": "a = [f]\nb = {'k': g}\n"})
    first, second = (assignment.value for assignment in facts[0].assignments)
    forward, backward = SymbolTable(facts), SymbolTable(facts)
    names = (forward._sequence("app", first), forward._sequence("app", second))
    reversed_names = (backward._sequence("app", second), backward._sequence("app", first))
    # Why: a full value set keeps the smallest names; numbering in visiting order made that choice
    # depend on which literal set iteration reached first.
    assert names == reversed_names[::-1]
    assert names[0] != names[1] and all(name.startswith("seq:") for name in names)


def test_package_binding_after_submodule_import_shadows_the_submodule() -> None:
    """`from .categories import X` then `from .pages import categories`: the last binding (the function) wins."""
    graphs = linked(
        {
            "shop/views/__init__.py": """
                from .categories import CategoryList
                from .media_auth import media_auth
                from .pages import categories
            """,
            "shop/views/categories.py": "class CategoryList: pass\ndef helper(): pass\n",
            "shop/views/media_auth.py": "def media_auth(request): pass\n",
            "shop/views/pages.py": "def categories(request): pass\n",
            "shop/urls.py": """
                from shop import views
                from shop.views import categories

                def main():
                    views.categories(None)
                    views.media_auth(None)
                    categories(None)
                    views.categories.helper()   # the name is the function now: no submodule attribute
            """,
        }
    )
    assert callees(graphs, "shop.urls:main") == {
        "shop.views.pages:categories",
        "shop.views.media_auth:media_auth",
    }


def test_submodule_import_after_package_binding_rebinds_the_submodule() -> None:
    """`from .pages import categories` then `from .categories import X`: importing the submodule rebinds the name."""
    graphs = linked(
        {
            "shop/views/__init__.py": """
                from .pages import categories
                from .categories import CategoryList
            """,
            "shop/views/categories.py": "class CategoryList: pass\ndef helper(): pass\n",
            "shop/views/pages.py": "def categories(request): pass\n",
            "shop/urls.py": """
                from shop import views

                def main():
                    views.categories.helper()
                    views.categories(None)   # a module is not called
            """,
        }
    )
    assert callees(graphs, "shop.urls:main") == {"shop.views.categories:helper"}


def test_a_second_import_from_a_loaded_submodule_keeps_the_package_binding() -> None:
    """`from .follow import follow` then `from .follow import other`: only the first load sets the attribute."""
    graphs = linked(
        {
            "site/views/__init__.py": """
                from .follow import follow, unfollow
                from .follow import accept
            """,
            "site/views/follow.py": """
                def follow(request): pass
                def unfollow(request): pass
                def accept(request): pass
            """,
            "site/urls.py": """
                from site import views

                def main():
                    views.follow(None)
                    views.unfollow(None)
            """,
        }
    )
    assert callees(graphs, "site.urls:main") == {"site.views.follow:follow", "site.views.follow:unfollow"}


def test_a_package_binding_of_a_submodule_name_the_package_never_loads() -> None:
    """The package's own binding wins, unless another module loads the submodule (which sets it on the package)."""
    files = {
        "jobs/__init__.py": "from .registry import tasks\n",
        "jobs/registry.py": "def tasks(): pass\n",
        "jobs/tasks.py": "def run(): pass\n",
        "app.py": """
            import jobs

            def main():
                jobs.tasks()
                jobs.tasks.run()
        """,
    }
    assert callees(linked(files), "app:main") == {"jobs.registry:tasks"}
    loaded = {**files, "worker.py": "from jobs.tasks import run\n"}
    assert callees(linked(loaded), "app:main") == {"jobs.tasks:run"}


# -- receivers bound to `self` ------------------------------------------------------------------------

RECEIVERS = {
    "shapes.py": """
        class Shape:
            def area(self):
                return 0

        class Square(Shape):
            pass

        class Label:
            def area(self):
                return len(self.text)

        def total(flag):
            if flag:
                item = Square()
                plain = Shape()
            else:
                item = Label()
                plain = Square()
            item.area()
            plain.area()
    """,
}


def _self_values(graphs: LinkedGraphs, method: str) -> set[str]:
    return set(graphs.resolver.values(method, (ExprKind.NAME, "self", (), ())))


def test_each_receiver_is_bound_to_the_self_of_the_method_found_on_it() -> None:
    graphs = linked(RECEIVERS)
    assert callees(graphs, "shapes:total") >= {"shapes:Shape.area", "shapes:Label.area"}
    # Why: `item` is a Square or a Label; the Square finds Shape.area, the Label its own: a Label is never
    # the `self` of Shape.area, nor a Square the `self` of Label.area.
    assert "obj:shapes:Label" not in _self_values(graphs, "shapes:Shape.area")
    assert _self_values(graphs, "shapes:Label.area") == {"obj:shapes:Label"}


def test_receivers_sharing_an_inherited_method_are_all_its_self() -> None:
    graphs = linked(RECEIVERS)
    # Why (negative): a Shape and a Square both find Shape.area: both are its `self`.
    assert _self_values(graphs, "shapes:Shape.area") == {"obj:shapes:Shape", "obj:shapes:Square"}
