"""script/takes.json: the chosen take of each sentence, read back checked."""

from __future__ import annotations

import json

import pytest

from narrate import chosen
from narrate.errors import InputError


def test_choices_round_trip_sorted_and_the_file_goes_when_empty(tmp_path):
    chosen.record(tmp_path, "02-b.txt", "Zed.", 3)
    chosen.record(tmp_path, "01-a.txt", "Alpha.", 2)
    chosen.record(tmp_path, "01-a.txt", "Able.", 1)
    assert chosen.load(tmp_path) == {"01-a.txt": {"Able.": 1, "Alpha.": 2}, "02-b.txt": {"Zed.": 3}}
    assert list(json.loads((tmp_path / chosen.TAKES).read_text())["takes"]) == ["01-a.txt", "02-b.txt"]
    for script, text in (("02-b.txt", "Zed."), ("01-a.txt", "Alpha."), ("01-a.txt", "Able.")):
        chosen.record(tmp_path, script, text, 0)
    assert not (tmp_path / chosen.TAKES).exists() and chosen.load(tmp_path) == {}


@pytest.mark.parametrize("content", ["{", '{"format": 1, "takes": {"a.txt": {"x": -1}}}', '{"format": 2, "takes": {}}', "[]",
                                     '{"format": 1, "takes": {"a.txt": {"x": true}}}'])
def test_a_damaged_takes_file_is_named_with_the_way_out(tmp_path, content):
    (tmp_path / chosen.TAKES).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"takes.json is damaged .*restore it from version control, or delete it to use every first take"):
        chosen.load(tmp_path)
