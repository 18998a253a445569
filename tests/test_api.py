"""The library API: re-exported lazily by `narrate`, each name documented, the read-only calls writing nothing."""

from __future__ import annotations

import subprocess
import sys

import narrate
from narrate import api


def test_import_narrate_loads_no_stage_until_an_api_name_is_used():
    code = ("import sys, narrate; before = {m for m in sys.modules if m.startswith('narrate.') or m == 'numpy'}; "
            "narrate.build_book; after = 'narrate.api' in sys.modules and 'numpy' in sys.modules; print(sorted(before), after)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True"


def test_every_api_name_is_exported_and_documented():
    assert sorted(api.__all__) == sorted(narrate._API)
    for name in api.__all__:
        assert getattr(narrate, name) is getattr(api, name)
        assert name == "ProgressCallback" or (getattr(api, name).__doc__ or "").strip(), name  # a type alias has none
    # The stage modules keep their names: `from narrate import build as pipeline` is still the module.
    from narrate import build as pipeline

    assert pipeline.__name__ == "narrate.build" and narrate.build_book is pipeline.build


def test_plan_status_and_update_scripts(example_project, fake_engine):
    project = narrate.open_project(example_project)
    plan = narrate.plan_book(project, "fake")
    assert plan.to_synthesize == 37 and not (example_project / "script").exists()  # planning writes nothing
    assert narrate.book_status(project, "fake").essay_changed
    assert len(narrate.update_scripts(project)) == 6 and narrate.update_scripts(project) == []
    report = narrate.build_book(project, engine_name="fake")
    assert report.synthesized == 37 and narrate.book_status(project, "fake").to_synthesize == 0
