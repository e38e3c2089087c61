"""Words the renderers share."""

from __future__ import annotations

from migrate_scan.model.report import PlanItem, PlanStage
from migrate_scan.render.vocabulary import stage_item_names


def test_an_item_of_another_pattern_than_its_stage_says_which() -> None:
    stage = PlanStage(
        stage=2,
        pattern=3,
        items=[PlanItem(context="documents", pattern=3), PlanItem(context="documents", pattern=2)],
    )
    # Why: without the pattern the same context shows twice in one stage and the real-time part is hidden.
    assert stage_item_names(stage) == ["documents", "documents (2 · WebSocket real-time)"]


def test_a_stage_without_items_lists_its_contexts() -> None:
    assert stage_item_names(PlanStage(stage=1, pattern=1, contexts=["billing", "orders"])) == ["billing", "orders"]
