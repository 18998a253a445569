"""A lexicon entry written into narrate.toml with its comments and layout kept; the sentences it applies to."""

from __future__ import annotations

import pytest

from narrate import api, config_edit
from narrate import build as pipeline
from narrate.config import load_config
from narrate.errors import ConfigError


def test_an_entry_is_added_changed_and_removed_keeping_every_other_line(example_project):
    path = example_project / "narrate.toml"
    before = path.read_text(encoding="utf-8")
    config = config_edit.set_entry(example_project, "Gosling", "Goz-ling")
    after = path.read_text(encoding="utf-8")
    # One line more, at the end of [lexicon] (the last table); every comment and alignment kept.
    assert after == before.rstrip("\n") + '\nGosling = "Goz-ling"\n'
    assert dict(config.lexicon)["Gosling"] == "Goz-ling" and load_config(example_project).lexicon == config.lexicon
    config_edit.set_entry(example_project, "Chazelle", "Shaz-ell")
    assert path.read_text(encoding="utf-8") == after.replace('Chazelle = "Shuh-zell"', 'Chazelle = "Shaz-ell"')
    config_edit.set_entry(example_project, "Gosling", None)
    config_edit.set_entry(example_project, "Chazelle", "Shuh-zell")
    assert path.read_text(encoding="utf-8") == before


def test_a_missing_table_or_file_is_made_and_phrases_are_quoted(tmp_path):
    config_edit.set_entry(tmp_path, "La La Land", "Lah Lah Land")
    assert (tmp_path / "narrate.toml").read_text(encoding="utf-8") == '[lexicon]\n"La La Land" = "Lah Lah Land"\n'
    (tmp_path / "narrate.toml").write_text('# mine\n[book]\ntitle = "T"  # the title\n', encoding="utf-8")
    config = config_edit.set_entry(tmp_path, "Mr.Smith", "/mˈɪstəɹ smˈɪθ/")
    assert (tmp_path / "narrate.toml").read_text(encoding="utf-8") == (
        '# mine\n[book]\ntitle = "T"  # the title\n\n[lexicon]\n"Mr.Smith" = "/mˈɪstəɹ smˈɪθ/"\n'
    )
    assert config.lexicon == (("Mr.Smith", "/mˈɪstəɹ smˈɪθ/"),) and config.title == "T"


@pytest.mark.parametrize("word, spoken", [("", "x"), ("Mia", " "), ("Mia", "a\nb"), ("a\nb", "x")])
def test_an_empty_or_multi_line_entry_writes_nothing(example_project, word, spoken):
    before = (example_project / "narrate.toml").read_bytes()
    with pytest.raises(ConfigError, match=r"needs a word and how to say it, each on one line"):
        config_edit.set_entry(example_project, word, spoken)
    assert (example_project / "narrate.toml").read_bytes() == before


def test_an_unparsable_narrate_toml_is_named_and_left_alone(tmp_path):
    (tmp_path / "narrate.toml").write_text("[book\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"narrate.toml: invalid TOML"):
        config_edit.set_entry(tmp_path, "Mia", "Mee-ah")
    assert (tmp_path / "narrate.toml").read_text(encoding="utf-8") == "[book\n"


def test_contains_follows_the_lexicons_rule():
    assert config_edit.contains("Mia sings.", "mia") and config_edit.contains("MIA sings.", "mia")
    assert config_edit.contains("The US.", "US") and not config_edit.contains("Tell us.", "US")
    assert not config_edit.contains("Miami.", "Mia")


def test_set_pronunciation_lists_exactly_the_sentences_with_the_word_and_a_build_redoes_only_them(example_project, fake_engine):
    project = pipeline.open_project(example_project)
    pipeline.build(project, engine_name="fake")
    spec = api.voice(project, "fake")
    fake_engine.clear()
    change = api.set_pronunciation(project, spec, "la la land", "Lah Lah Land")
    texts = [s.text for s in change.sentences]
    assert texts == [s.text for s in api.sentences(project, spec) if "La La Land" in s.text] and len(texts) == 4
    assert all("Lah Lah Land" in s.spoken and not s.cached for s in change.sentences)
    assert dict(change.project.config.lexicon)["la la land"] == "Lah Lah Land"
    report = pipeline.build(pipeline.open_project(example_project), engine_name="fake")
    assert sorted(fake_engine) == sorted(s.spoken for s in change.sentences) and report.synthesized == 4


def test_removing_a_word_that_is_not_there_writes_nothing(tmp_path):
    (tmp_path / "narrate.toml").write_text("# mine\n[book]\ntitle = 'T'\n", encoding="utf-8")
    before = (tmp_path / "narrate.toml").stat().st_mtime_ns
    assert config_edit.set_entry(tmp_path, "Mia", None).lexicon == ()
    assert (tmp_path / "narrate.toml").read_text(encoding="utf-8") == "# mine\n[book]\ntitle = 'T'\n"
    assert (tmp_path / "narrate.toml").stat().st_mtime_ns == before


def test_the_voice_is_set_with_its_own_engine_keeping_the_layout(example_project):
    path = example_project / "narrate.toml"
    before = path.read_text(encoding="utf-8")
    config = config_edit.set_voice(example_project, "en_US-joe-medium")
    assert (config.voice, config.engine) == ("en_US-joe-medium", "auto")
    assert path.read_text(encoding="utf-8") == before.replace(
        'voice = ""          # a name', 'voice = "en_US-joe-medium"          # a name'
    )
    with pytest.raises(ConfigError, match="choose a voice by its name"):
        config_edit.set_voice(example_project, " ")
