"""Discovery: which files are scanned, which are skipped and why, and the module name of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrate_scan.model.facts import FileSkipped, SkipReason
from migrate_scan.stages.discover import DiscoveredFile, Discovery, DiscoverySettings, discover


def paths(discovery: Discovery) -> list[str]:
    return [f.path for f in discovery.files]


def modules(discovery: Discovery) -> dict[str, tuple[str, bool]]:
    return {f.path: (f.module, f.is_package) for f in discovery.files}


def skips(discovery: Discovery) -> dict[str, tuple[SkipReason, str]]:
    return {s.path: (s.reason, s.message) for s in discovery.skipped}


# -- .gitignore ---------------------------------------------------------------------------------


def test_root_and_nested_gitignore_with_negation(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            ".gitignore": "*.log\nignored/\ngen_*.py\n/anchored.py\n",
            "a.py": "",
            "gen_models.py": "",  # gen_*.py
            "ignored/b.py": "",  # a whole folder
            "anchored.py": "",  # /anchored.py: only at the root
            "sub/anchored.py": "",
            "sub/gen_x.py": "",  # unanchored pattern applies below too
            "pkg/.gitignore": "*.py\n!keep.py\n!__init__.py\n",
            "pkg/__init__.py": "",
            "pkg/keep.py": "",  # re-included by the nested negation
            "pkg/drop.py": "",
            "pkg/deeper/drop_too.py": "",  # the nested *.py applies below pkg too
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["a.py", "pkg/__init__.py", "pkg/keep.py", "sub/anchored.py"]
    assert discovery.skipped == ()


def test_nested_gitignore_overrides_the_root_one(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            ".gitignore": "secret_*.py\n",
            "lib/.gitignore": "!secret_ok.py\n",  # deeper file wins, as in git
            "lib/secret_ok.py": "",
            "lib/secret_no.py": "",
            "secret_ok.py": "",
        },
    )

    assert paths(discover(root, DiscoverySettings())) == ["lib/secret_ok.py"]


def test_gitignore_is_ignored_when_asked(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {".gitignore": "*.py\n", "a.py": "", "b/c.py": ""})

    assert paths(discover(root, DiscoverySettings())) == []
    assert paths(discover(root, DiscoverySettings(respect_gitignore=False))) == ["a.py", "b/c.py"]


def test_a_fifo_named_gitignore_is_never_opened(tmp_path: Path, write_tree, within) -> None:
    root = write_tree(tmp_path / "app", {"a.py": ""})
    os.mkfifo(root / ".gitignore")

    discovery = within(lambda: discover(root, DiscoverySettings()), 10)

    assert paths(discovery) == ["a.py"]


# -- default excludes, --exclude, --include -------------------------------------------------------

EXCLUDED_BY_DEFAULT = {
    ".git/hooks/pre_commit.py": "",
    ".tox/py311/lib/x.py": "",
    ".venv/lib/python3.11/site-packages/dep.py": "",
    "weird_env_name/pyvenv.cfg": "home = /usr/bin\n",  # a virtualenv, whatever its name
    "weird_env_name/lib/python3.11/site-packages/dep.py": "",
    "weird_env_name/bin/activate_this.py": "",
    "venv/v.py": "",
    "node_modules/pkg/n.py": "",
    "frontend/node_modules/n.py": "",
    "build/lib/b.py": "",
    "dist/d.py": "",
    "app/migrations/__init__.py": "",
    "app/migrations/0001_initial.py": "",
    "vendor/lib/site-packages/s.py": "",
    "mylib.egg-info/x.py": "",
    "app/__pycache__/models.py": "",
}


def test_default_excludes(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {**EXCLUDED_BY_DEFAULT, "app/__init__.py": "", "app/models.py": ""})

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["app/__init__.py", "app/models.py"]
    assert discovery.skipped == ()


def test_no_default_excludes_scans_everything(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {**EXCLUDED_BY_DEFAULT, "app/__init__.py": "", "app/models.py": ""})

    discovery = discover(root, DiscoverySettings(use_default_excludes=False))

    expected = sorted([p for p in EXCLUDED_BY_DEFAULT if p.endswith(".py")] + ["app/__init__.py", "app/models.py"])
    # two folders outside any package each hold a top-level `x` and `dep`: the second of each is skipped
    twice = ["mylib.egg-info/x.py", "weird_env_name/lib/python3.11/site-packages/dep.py"]
    assert paths(discovery) == [path for path in expected if path not in twice]
    assert {path: reason for path, (reason, _) in skips(discovery).items()} == dict.fromkeys(
        twice, SkipReason.DUPLICATE_MODULE
    )


def test_exclude_and_include_patterns(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "a.py": "",
            "b.py": "",
            "tests/test_a.py": "",
            "shop/__init__.py": "",
            "shop/migrations/__init__.py": "",
            "shop/migrations/0001_initial.py": "",
            "build/keep_me.py": "",
            "build/other.py": "",
            "build/lib/deep.py": "",
        },
    )

    discovery = discover(
        root,
        DiscoverySettings(excludes=("a.py", "tests/"), includes=("migrations/", "build/keep_me.py")),
    )

    assert paths(discovery) == [
        "b.py",
        "build/keep_me.py",
        "shop/__init__.py",
        "shop/migrations/0001_initial.py",
        "shop/migrations/__init__.py",
    ]


def test_include_beats_gitignore(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {".gitignore": "generated/\n", "generated/api.py": "", "generated/x.py": ""})

    discovery = discover(root, DiscoverySettings(includes=("generated/api.py",)))

    assert paths(discovery) == ["generated/api.py"]


def test_include_brings_back_a_virtualenv_folder(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {"tools/pyvenv.cfg": "", "tools/run.py": "", "main.py": ""})

    assert paths(discover(root, DiscoverySettings())) == ["main.py"]
    assert paths(discover(root, DiscoverySettings(includes=("tools/",)))) == ["main.py", "tools/run.py"]


def test_virtualenv_is_told_by_its_listing_below_the_root_only(tmp_path: Path, write_tree) -> None:
    # The scanned folder itself may hold a pyvenv.cfg (a project inside its own venv): it is still scanned;
    # a nested folder holding one is left out, with its Python files counted.
    root = write_tree(
        tmp_path / "app",
        {"pyvenv.cfg": "", "main.py": "", "lib/pyvenv.cfg": "", "lib/site.py": "", "lib/locale/x.po": ""},
    )

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["main.py"]
    assert [(e.path, e.reason, e.python_files) for e in discovery.excluded] == [("lib/", "virtualenv", 1)]


def test_an_alembic_environment_is_left_out_whatever_its_folder_name(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "aleph/__init__.py": "",
            "aleph/model.py": "",
            "aleph/migrate/env.py": "",
            "aleph/migrate/script.py.mako": "",
            "aleph/migrate/versions/1a2b_add_roles.py": "",
            "aleph/migrate/versions/3c4d_add_alerts.py": "",
            # Why: an env.py alone is no Alembic environment (a settings module, a tox helper).
            "tools/env.py": "",
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["aleph/__init__.py", "aleph/model.py", "tools/env.py"]
    excluded = [(e.path, e.reason, e.python_files) for e in discovery.excluded]
    assert excluded == [("aleph/migrate/", "default-exclude", 3)]
    assert "aleph/migrate/env.py" in paths(discover(root, DiscoverySettings(includes=("aleph/migrate/",))))
    assert "aleph/migrate/env.py" in paths(discover(root, DiscoverySettings(use_default_excludes=False)))


def test_a_project_templates_placeholder_folders_are_left_out(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "setup.py": "",
            "shop/__init__.py": "",
            "contrib/cookiecutter/{{cookiecutter.project}}/setup.py": "from setuptools import setup\n",
            "contrib/cookiecutter/{{cookiecutter.project}}/ext/{{cookiecutter.name}}/plugin.py": "{% if x %}\n",
            # Why: braces alone are no placeholder (a folder may be named `{legacy}`).
            "tools/{legacy}/run.py": "",
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["setup.py", "shop/__init__.py", "tools/{legacy}/run.py"]
    assert discovery.skipped == ()
    excluded = [(e.path, e.reason, e.python_files) for e in discovery.excluded]
    assert excluded == [("contrib/cookiecutter/{{cookiecutter.project}}/", "default-exclude", 2)]


# -- source roots and module names ----------------------------------------------------------------


def test_module_names_follow_source_roots(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "monorepo",
        {
            # Django: the folder of manage.py is the source root; apps are packages below it.
            "site/manage.py": "",
            "site/proj/__init__.py": "",
            "site/proj/settings.py": "",
            "site/shop/__init__.py": "",
            "site/shop/views.py": "",
            "site/shop/api/__init__.py": "",
            "site/shop/api/v1.py": "",
            "site/scripts/tool.py": "",  # a namespace folder under a known root
            # src/ layout.
            "lib/src/mylib/__init__.py": "",
            "lib/src/mylib/core.py": "",
            "lib/src/loose.py": "",
            # A package chain whose parent is not a package: the parent is the source root.
            "backend/app/__init__.py": "",
            "backend/app/models.py": "",
            # Flat package at the root.
            "flat/__init__.py": "",
            "flat/a.py": "",
            # Namespace packages (no __init__) under the scan root.
            "ns/part/mod.py": "",
            "top.py": "",
            # A folder that is not an identifier cannot be imported through: it is its own root.
            "my-tools/run.py": "",
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert modules(discovery) == {
        "backend/app/__init__.py": ("app", True),
        "backend/app/models.py": ("app.models", False),
        "flat/__init__.py": ("flat", True),
        "flat/a.py": ("flat.a", False),
        "lib/src/loose.py": ("loose", False),
        "lib/src/mylib/__init__.py": ("mylib", True),
        "lib/src/mylib/core.py": ("mylib.core", False),
        "my-tools/run.py": ("run", False),
        "ns/part/mod.py": ("ns.part.mod", False),
        "site/manage.py": ("manage", False),
        "site/proj/__init__.py": ("proj", True),
        "site/proj/settings.py": ("proj.settings", False),
        "site/scripts/tool.py": ("scripts.tool", False),
        "site/shop/__init__.py": ("shop", True),
        "site/shop/api/__init__.py": ("shop.api", True),
        "site/shop/api/v1.py": ("shop.api.v1", False),
        "site/shop/views.py": ("shop.views", False),
        "top.py": ("top", False),
    }
    assert discovery.source_roots == (".", "backend", "lib/src", "my-tools", "site")
    assert discovery.root == root.resolve()


def test_a_scanned_package_that_imports_itself_by_name_keeps_its_name(tmp_path: Path, write_tree) -> None:
    # `migrate-scan ./shop`, where shop/ is the application package: its code imports `shop.x` or `.x`.
    root = write_tree(
        tmp_path / "shop",
        {
            "__init__.py": "from .views import bp\n",
            "views.py": "from shop.models import Order\n",
            "models.py": "import os\n",
            "api/__init__.py": "from ..models import Order\n",
            "api/v1.py": "from shop.api import helpers\n",
        },
    )

    assert modules(discover(root, DiscoverySettings())) == {
        "__init__.py": ("shop", True),
        "api/__init__.py": ("shop.api", True),
        "api/v1.py": ("shop.api.v1", False),
        "models.py": ("shop.models", False),
        "views.py": ("shop.views", False),
    }


def test_a_root_with_a_stray_init_that_imports_its_children_top_level_names_them_top_level(
    tmp_path: Path, write_tree
) -> None:
    # A repository root holding `__init__.py` whose code imports `mkt.site`, not `repo.mkt.site`.
    root = write_tree(
        tmp_path / "repo",
        {
            "__init__.py": "",
            "manage.py": "import mkt.settings\n",
            "mkt/__init__.py": "",
            "mkt/settings.py": "from mkt.site import helpers\nfrom lib import crypto\n",
            "mkt/site/__init__.py": "from . import helpers\n",
            "lib/__init__.py": "from repo import nothing  # a stray self-import is outvoted\n",
        },
    )

    assert modules(discover(root, DiscoverySettings())) == {
        "__init__.py": ("repo", True),
        "lib/__init__.py": ("lib", True),
        "manage.py": ("manage", False),
        "mkt/__init__.py": ("mkt", True),
        "mkt/settings.py": ("mkt.settings", False),
        "mkt/site/__init__.py": ("mkt.site", True),
    }


def test_a_folder_without_init_between_packages_is_a_namespace_portion(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "manage.py": "",
            "shop/__init__.py": "",
            "shop/management/commands/__init__.py": "",  # management/ has no __init__.py (PEP 420)
            "shop/management/commands/sync.py": "",
            "blog/__init__.py": "",
            "blog/management/commands/__init__.py": "",
            "shop/scripts/seed.py": "",  # no package below it: a folder of scripts, not a portion
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert modules(discovery) == {
        "blog/__init__.py": ("blog", True),
        "blog/management/commands/__init__.py": ("blog.management.commands", True),
        "manage.py": ("manage", False),
        "shop/__init__.py": ("shop", True),
        "shop/management/commands/__init__.py": ("shop.management.commands", True),
        "shop/management/commands/sync.py": ("shop.management.commands.sync", False),
        "shop/scripts/seed.py": ("shop.scripts.seed", False),
    }
    assert discovery.skipped == ()


def test_a_second_file_under_one_module_name_is_skipped(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            "services/a/app/__init__.py": "",
            "services/a/app/main.py": "",
            "services/b/app/__init__.py": "",
            "services/b/app/main.py": "",
            "pkg.py": "",
            "pkg/__init__.py": "",
        },
    )

    discovery = discover(root, DiscoverySettings())

    assert modules(discovery) == {
        "services/a/app/__init__.py": ("app", True),
        "services/a/app/main.py": ("app.main", False),
        "pkg/__init__.py": ("pkg", True),
    }
    assert {path: reason for path, (reason, _) in skips(discovery).items()} == {
        "services/b/app/__init__.py": SkipReason.DUPLICATE_MODULE,
        "services/b/app/main.py": SkipReason.DUPLICATE_MODULE,
        "pkg.py": SkipReason.DUPLICATE_MODULE,
    }
    assert "services/a/app/main.py" in skips(discovery)["services/b/app/main.py"][1]


def test_configured_source_root(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {"services/api/handlers/h.py": "", "services/api/main.py": ""})

    default = discover(root, DiscoverySettings())
    configured = discover(root, DiscoverySettings(source_roots=("services/api",)))

    assert modules(default) == {
        "services/api/handlers/h.py": ("services.api.handlers.h", False),
        "services/api/main.py": ("services.api.main", False),
    }
    assert modules(configured) == {
        "services/api/handlers/h.py": ("handlers.h", False),
        "services/api/main.py": ("main", False),
    }
    assert configured.source_roots == ("services/api",)


def test_discovered_file_records_size(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {"pkg/__init__.py": "x = 1\n"})

    assert discover(root, DiscoverySettings()).files == (DiscoveredFile("pkg/__init__.py", "pkg", True, 6),)


# -- things that are not plain files ------------------------------------------------------------


def test_symlink_loops_terminate_and_folders_are_walked_once(tmp_path: Path, write_tree, within) -> None:
    root = write_tree(tmp_path / "app", {"pkg/__init__.py": "", "pkg/a.py": ""})
    os.symlink(root / "pkg", root / "pkg" / "self_loop")
    os.symlink("..", root / "pkg" / "up")  # back to the root

    discovery = within(lambda: discover(root, DiscoverySettings()), 10)

    assert paths(discovery) == ["pkg/__init__.py", "pkg/a.py"]
    assert discovery.skipped == ()


def test_a_folder_below_a_symlinked_folder_is_walked_once(tmp_path: Path, write_tree, within) -> None:
    """Why: only symlinks are resolved; a plain folder below one must still be known by its real path."""
    root = write_tree(tmp_path / "app", {"real/__init__.py": "", "real/sub/__init__.py": "", "real/sub/m.py": ""})
    os.symlink(root / "real", root / "alias")  # sorted first: the walk meets real/ through alias/
    os.symlink(root / "real" / "sub", root / "real" / "sub" / "again")  # a loop one level down

    discovery = within(lambda: discover(root, DiscoverySettings()), 10)

    assert len(paths(discovery)) == 3
    assert {p.rpartition("/")[2] for p in paths(discovery)} == {"__init__.py", "m.py"}
    assert all(p.startswith("real/") for p in paths(discovery)) or all(p.startswith("alias/") for p in paths(discovery))


def test_symlinks_out_of_the_root_are_never_followed(tmp_path: Path, write_tree) -> None:
    outside = write_tree(tmp_path / "outside", {"o.py": "x = 1\n", "lib/l.py": ""})
    root = write_tree(tmp_path / "app", {"pkg/a.py": ""})
    os.symlink(outside / "o.py", root / "ext.py")
    os.symlink(outside / "lib", root / "extlib")
    os.symlink(root / "pkg" / "a.py", root / "alias.py")  # inside the root: followed

    discovery = discover(root, DiscoverySettings())

    assert paths(discovery) == ["alias.py", "pkg/a.py"]
    assert discovery.skipped == (
        FileSkipped("ext.py", "", SkipReason.OUTSIDE_ROOT, "symlink to a target outside the scanned root"),
    )


def test_special_files_are_skipped_with_their_reason(tmp_path: Path, write_tree, within) -> None:
    root = write_tree(tmp_path / "app", {"ok.py": "x = 1\n", "big.py": "x = 1\n" * 100, "dir.py/inner.py": ""})
    os.symlink(root / "missing.py", root / "broken.py")
    os.symlink(root / "missing.txt", root / "broken.txt")  # not Python: not reported
    os.mkfifo(root / "fifo.py")

    discovery = within(lambda: discover(root, DiscoverySettings(max_file_bytes=500)), 10)

    assert skips(discovery) == {
        "big.py": (SkipReason.TOO_LARGE, "600 bytes, over the 500-byte limit"),
        "broken.py": (SkipReason.UNREADABLE, "broken symlink"),
        "dir.py": (SkipReason.NOT_A_FILE, "a folder named like a Python file"),
        "fifo.py": (SkipReason.NOT_A_FILE, "not a regular file (a FIFO)"),
    }
    # A folder named x.py is still walked: the files in it are Python files under the root.
    assert modules(discovery) == {"dir.py/inner.py": ("inner", False), "ok.py": ("ok", False)}
    assert [s.path for s in discovery.skipped] == sorted(s.path for s in discovery.skipped)


def test_file_at_the_size_limit_is_kept(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {"edge.py": "x" * 500, "over.py": "x" * 501})

    discovery = discover(root, DiscoverySettings(max_file_bytes=500))

    assert paths(discovery) == ["edge.py"]
    assert skips(discovery) == {"over.py": (SkipReason.TOO_LARGE, "501 bytes, over the 500-byte limit")}


@pytest.mark.parametrize("name", ["README.md", "setup.cfg", "script", "module.pyc", "stub.pyi"])
def test_only_py_files_are_candidates(tmp_path: Path, write_tree, name: str) -> None:
    root = write_tree(tmp_path / "app", {name: "x = 1\n", "a.py": ""})

    assert paths(discover(root, DiscoverySettings())) == ["a.py"]


def test_excluded_paths_are_listed_with_the_rule_and_their_python_files(tmp_path: Path, write_tree) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "pkg/__init__.py": "",
            "pkg/migrations/0001_initial.py": "",
            "pkg/migrations/0002_more.py": "",
            "node_modules/left-pad/index.js": "",  # no Python inside: not listed
            "build/lib/pkg/__init__.py": "",
            "env/pyvenv.cfg": "home = /usr/bin\n",  # a virtualenv under a name no pattern knows
            "env/lib/site.py": "",
            "legacy/old.py": "",
            "generated.py": "",
            "sub/.gitignore": "*_pb2.py\n",
            "sub/api_pb2.py": "",
            "sub/keep.py": "",
            "__pycache__/x.cpython-311.pyc": "",
        },
    )
    found = discover(root, DiscoverySettings(excludes=("legacy/", "generated.py")))

    assert [(e.path, e.reason, e.pattern, e.python_files) for e in found.excluded] == [
        ("build/", "default-exclude", "build/", 1),
        ("env/", "virtualenv", "pyvenv.cfg", 1),
        ("generated.py", "exclude-option", "generated.py", 1),
        ("legacy/", "exclude-option", "legacy/", 1),
        ("pkg/migrations/", "default-exclude", "migrations/", 2),
        ("sub/api_pb2.py", "gitignore", "sub/.gitignore: *_pb2.py", 1),
    ]
    assert {f.path for f in found.files} == {"pkg/__init__.py", "sub/keep.py"}


def test_included_paths_are_not_listed_as_excluded(tmp_path: Path, write_tree) -> None:
    root = write_tree(tmp_path / "app", {"pkg/migrations/0001.py": "", "pkg/__init__.py": ""})
    found = discover(root, DiscoverySettings(includes=("migrations/",)))

    assert found.excluded == ()
    assert {f.path for f in found.files} == {"pkg/__init__.py", "pkg/migrations/0001.py"}


def test_counting_excluded_files_is_bounded(tmp_path: Path, write_tree, monkeypatch) -> None:
    from migrate_scan.stages import discover as discover_module

    root = write_tree(tmp_path / "app", {f"build/m{i}.py": "" for i in range(30)})
    monkeypatch.setattr(discover_module, "MAX_COUNTED_ENTRIES", 10)
    [entry] = discover(root, DiscoverySettings()).excluded

    assert (entry.path, entry.is_count_complete) == ("build/", False)
    assert entry.python_files <= 10


def test_migration_modules_kept_elsewhere_are_excluded_by_default(tmp_path: Path) -> None:
    (tmp_path / "dojo" / "db_migrations").mkdir(parents=True)
    (tmp_path / "dojo" / "__init__.py").write_text("")
    (tmp_path / "dojo" / "db_migrations" / "__init__.py").write_text("")
    (tmp_path / "dojo" / "db_migrations" / "0001_initial.py").write_text("class Migration:\n    pass\n")
    (tmp_path / "dojo" / "migrations_helper.py").write_text("x = 1\n")  # a module, not a migrations folder
    found = discover(tmp_path, DiscoverySettings())
    assert sorted(f.path for f in found.files) == ["dojo/__init__.py", "dojo/migrations_helper.py"]
    assert [(e.path, e.pattern) for e in found.excluded] == [("dojo/db_migrations/", "*_migrations/")]
