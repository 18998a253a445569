"""What the studio server holds: the project folder, one warm voice, one build at a time, the page's events.

The files are the state: every operation reads the project from disk and writes it back
before it answers, so a reload, a closed tab or a restarted server loses nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from narrate import api, engines, keys
from narrate.config import CONFIG_NAME
from narrate.editing import Sentence
from narrate.engines import EngineSpec
from narrate.errors import InputError, NarrateError
from narrate.plan import book_title
from narrate.studio import results
from narrate.studio.events import Events, Watcher
from narrate.text.script import load_scripts

log = logging.getLogger(__name__)

_MAX_TAKES = 50  # "another take" looks this far for a take not made yet


def sentence_json(s: Sentence, script: bool = True) -> dict:
    """What the page needs of a sentence (the script's hash is per section; in a section's list, so is its script)."""
    found = {"index": s.index, "paragraph": s.paragraph, "text": s.text, "key": s.key, "cached": s.cached, "take": s.take}
    return {"script": s.script, **found} if script else found


class Studio:
    """The project being edited, its voice, and the work in progress.

    Args:
        root: the project folder.
        essay: the essay argument, over narrate.toml's.
        engine_name: overrides narrate.toml's engine (tests, and `--engine` one day).
    """

    def __init__(self, root: Path, essay: Path | None = None, engine_name: str | None = None):
        # Absolute: the build's files are named relative to it, whatever folder the server was started from.
        self.root, self.essay, self.engine_name = Path(root).resolve(), essay, engine_name
        self.events = Events()
        self._speaking = threading.Lock()  # one sentence at a time through the voice
        self._spec: tuple[tuple, EngineSpec] | None = None
        self._task: str | None = None  # "build" or "review" while one started from the page runs
        self._tasks = threading.Lock()
        self._watcher: Watcher | None = None
        self._writing = threading.Lock()  # one write of the project's files at a time (the undo journal is read, then written)
        api.update_scripts(self.project())  # the scripts the page edits must exist

    # --- the project, as it is on disk now ---------------------------------

    def project(self) -> api.Project:
        return api.open_project(self.root, self.essay)

    def spec(self, project: api.Project) -> EngineSpec:
        """The voice for the project's current settings: made once, kept warm; made again if narrate.toml changes it."""
        c = project.config
        settings = (self.engine_name or c.engine, c.voice, c.language, c.tld, c.speed)
        if self._spec is None or self._spec[0] != settings:
            self._spec = (settings, api.voice(project, self.engine_name))
        return self._spec[1]

    def warm(self) -> None:
        """Load the voice's model and list the book now (a first sentence and a long book's first page are otherwise slow)."""
        project = self.project()
        with self._speaking:
            engines.instance(self.spec(project)).synthesize("Ready.")
        self.book()  # the book's sentences normalized once: the page's first listing is quick

    def book(self) -> dict:
        """The whole book for the page: its sections with their sentences, the lexicon, what is going on."""
        project = self.project()
        found = api.sentences(project, self.spec(project))
        scripts = {s.file: s for s in load_scripts(project.script_dir)}
        sections: list[dict] = []
        for s in found:
            if not sections or sections[-1]["script"] != s.script:
                script = scripts[s.script]
                sections.append({"script": s.script, "title": script.title, "kind": script.kind, "sha": s.script_sha, "sentences": []})
            sections[-1]["sentences"].append(sentence_json(s, script=False))
        return {
            "title": book_title(project, list(scripts.values())), "sections": sections, "lexicon": [list(e) for e in project.config.lexicon],
            "building": self.building, "reviewing": self.busy and not self.building, "book": _book_file(project),
            "built": results.built(self.root, project.book_path, project.audio_dir), "undo": self.undo_state(project),
            "doubtful": results.review(self.root, {s.key: sentence_json(s) for s in found}),
        }

    # --- sentence operations ----------------------------------------------

    def _sentence(self, project: api.Project, script: str, index: int) -> Sentence:
        found = api.script_sentences(project, self.spec(project), script)
        if not 0 <= index < len(found):
            raise InputError(f"{script} has no sentence {index + 1}; reload the page")
        return found[index]

    def speak(self, script: str, index: int) -> dict:
        """The sentence's chosen take, made now if it is not in the cache."""
        project = self.project()
        sentence = self._sentence(project, script, index)
        with self._speaking:
            return sentence_json(api.speak_sentence(project, self.spec(project), sentence))

    @contextlib.contextmanager
    def _quiet(self):
        """The studio's own writes, one at a time: the watcher does not report them back to the page."""
        with self._writing, self._watcher.quiet() if self._watcher is not None else contextlib.nullcontext():
            yield

    def save(self, script: str, index: int, old: str, new: str, sha: str | None) -> dict:
        """Write the new text into the script, then speak the sentences it made; answers with the script's sentences."""
        with self._quiet():
            return self._save(script, index, old, new, sha)

    def _save(self, script: str, index: int, old: str, new: str, sha: str | None) -> dict:
        project = self.project()
        spec = self.spec(project)
        before = api.script_sentences(project, spec, script)
        after = api.replace_sentence(project, spec, script, index, old, new, sha)
        made = range(index, index + len(after) - len(before) + 1)
        with self._speaking:
            for i in made:
                after[i] = api.speak_sentence(project, spec, after[i])
        return {"sha": after[0].script_sha, "sentences": [sentence_json(s) for s in after], "changed": list(made),
                "previous": before[index].key if 0 <= index < len(before) else None, "undo": self.undo_state(project)}

    def undo_state(self, project: api.Project) -> dict:
        """How many steps Undo can take back, and what the next one is (the page's button says it)."""
        try:
            steps = api.undo_history(project)
        except NarrateError as exc:
            return {"steps": 0, "next": "", "problem": str(exc)}
        return {"steps": len(steps), "next": steps[-1].label if steps else ""}

    def undo(self) -> dict:
        """Take back the newest edit or take choice (text and take); answers as a save does, for the sentence restored."""
        project = self.project()
        spec = self.spec(project)
        with self._quiet():
            step = api.undo_edit(project)
        after = api.script_sentences(project, spec, step.script)
        index = step.index if step.index < len(after) and after[step.index].text == step.was else next(
            (s.index for s in after if s.text == step.was), 0)
        with self._speaking:  # its take is in the cache unless the cache was cleared: playable at once
            after[index] = api.speak_sentence(project, spec, after[index])
        return {"script": step.script, "sha": after[0].script_sha, "sentences": [sentence_json(s) for s in after],
                "changed": [index], "kind": step.kind, "label": step.label, "undo": self.undo_state(project)}

    def take(self, script: str, index: int, take: int | None) -> dict:
        """Choose a take (None: another one, not made before), making it first; the previous one stays in the cache."""
        project = self.project()
        spec = self.spec(project)
        sentence = self._sentence(project, script, index)
        with self._speaking:
            if take is None:
                take = next(
                    (t for t in range(sentence.take + 1, sentence.take + _MAX_TAKES)
                     if not project.cache.path("speech", _key(spec, sentence, t)).is_file()),
                    sentence.take + 1,
                )
            spoken = api.speak_sentence(project, spec, sentence, take)
        with self._quiet():
            picked = api.choose_take(project, spec, spoken, take)
        return {"sentence": sentence_json(picked), "previous": sentence.key, "undo": self.undo_state(project)}

    def pronounce(self, word: str, spoken: str | None) -> dict:
        """Write the lexicon entry, then speak every sentence with the word; each with its previous key (A/B)."""
        project = self.project()
        spec = self.spec(project)
        before = {(s.script, s.index): s.key for s in api.sentences(project, spec) if s.cached}  # an old take never made: none to play
        with self._quiet():
            change = api.set_pronunciation(project, spec, word, spoken)
        done = []
        with self._speaking:
            for s in change.sentences:
                s = api.speak_sentence(change.project, spec, s)
                done.append({**sentence_json(s), "previous": before.get((s.script, s.index))})
        return {"word": word, "spoken": spoken, "sentences": done}

    def preview(self, word: str, spoken: str, script: str | None, index: int | None) -> dict:
        """Speak the word as the entry would say it, alone and in a sentence (the one given, else the first with it)."""
        project = self.project()
        spec = self.spec(project)
        sentence: Sentence | None
        if script is not None and index is not None:
            sentence = self._sentence(project, script, index)
        else:
            from narrate.config_edit import contains

            sentence = next((s for s in api.sentences(project, spec) if contains(s.text, word)), None)
        with self._speaking:
            alone, inside = api.preview_pronunciation(project, spec, word.strip(), spoken.strip(), sentence)
        return {"word": alone.key, "sentence": sentence_json(inside) if inside is not None else None}

    def voices(self) -> dict:
        """The installed voices, and the one the project uses."""
        project = self.project()
        found = [{"name": v.name, "engine": v.engine, "language": v.language, "gender": v.gender, "network": v.network}
                 for v in api.installed_voices()]
        engine = engines.instance(self.spec(project))
        current = project.config.voice or str(engine.identity().get("voice", ""))
        return {"current": current, "engine": engine.describe(), "voices": found}

    def sample(self, voice: str, script: str | None, index: int | None) -> dict:
        """A sentence (the one given, else the book's first) in another voice, without choosing it."""
        project = self.project()
        sentence = self._sentence(project, script, index) if script is not None and index is not None else None
        trial = api.choose_voice(project, voice, write=False)
        spec = api.voice(trial)
        sentence = sentence or api.sentences(trial, spec)[0]
        with self._speaking:
            spoken = api.speak_sentence(trial, spec, sentence, 0)
        return {"voice": voice, "key": spoken.key, "text": sentence.text}

    def use_voice(self, voice: str) -> dict:
        """Write the voice into narrate.toml: the next sentences spoken and the next build use it."""
        with self._quiet():
            api.choose_voice(self.project(), voice)
        return self.voices()

    def start_review(self) -> None:
        """Hear every sentence of the book with the recognizer in the background, speaking first those not spoken yet.

        Progress and the doubtful sentences reach the page as events.
        """
        self._start("review", self._run_review)

    def _run_review(self) -> dict:
        """Hear the book; what the page hears at the end."""
        events = self.events
        try:
            project = self.project()
            spec = self.spec(project)
            found = api.sentences(project, spec)
            missing = [i for i, s in enumerate(found) if not s.cached]
            for done, i in enumerate(missing):
                events.publish("progress", {"task": "review", "stage": "speak", "done": done, "total": len(missing)})
                with self._speaking:
                    found[i] = api.speak_sentence(project, spec, found[i])
            events.publish("progress", {"task": "review", "stage": "hear", "done": 0, "total": len(found)})
            heard = api.hear_sentences(project, found, progress=lambda done, total: events.publish(
                "progress", {"task": "review", "stage": "hear", "done": done, "total": total}))
        except NarrateError as exc:
            return {"state": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("studio review failed")
            return {"state": "failed", "error": f"the review failed: {exc}"}
        doubtful = [{**sentence_json(h.sentence), "transcript": h.transcript, "score": round(h.score, 2)} for h in heard if not h.heard]
        results.save_review(self.root, len(found), doubtful)  # a reload or a restart shows them still
        return {"state": "done", "total": len(found), "spoken": len(missing), "heard": len(heard) - len(doubtful), "doubtful": doubtful}

    # --- the build ----------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A build or a review started from the page is running."""
        return self._task is not None

    @property
    def building(self) -> bool:
        return self._task == "build"

    def _start(self, task: str, work: Callable[[], dict]) -> None:
        """Run `work` in the background as `task`; the dict it returns is the task's last event."""
        with self._tasks:
            if self._task is not None:
                raise InputError("a build or a review is running; wait for it to finish")
            self._task = task

        def run() -> None:
            try:
                self.events.publish(task, {"state": "started"})
                last = work()
            finally:
                # Idle before the page hears the end: the reload that makes must find it so.
                self._task = None
            self.events.publish(task, last)

        threading.Thread(target=run, name=f"studio-{task}", daemon=True).start()

    def start_build(self) -> None:
        """Build the book in the background; progress and the result reach the page as events.

        Raises:
            NarrateError: a build started from the page is running.
        """
        self._start("build", self._run_build)

    def _run_build(self) -> dict:
        """Build the book; what the page hears at the end."""
        events = self.events

        def progress(step: api.Progress) -> None:
            events.publish("progress", {"stage": step.stage, "done": step.done, "total": step.total, "section": step.section})

        try:
            report = api.build_book(self.project(), engine_name=self.engine_name, progress=progress)
        except NarrateError as exc:  # another build holds the lock, a voice failed...: said on the page
            return {"state": "failed", "error": str(exc)}
        except Exception as exc:  # the page must hear of it; the log has the traceback
            log.exception("studio build failed")
            return {"state": "failed", "error": f"the build failed: {exc}"}
        if self._watcher is not None:  # the build's own records (script/origin.json) are no news: the page reloads after it
            with self._watcher.quiet():
                pass
        files = [report.book, *(s.track for s in report.sections if s.track is not None), *report.outputs]
        return {
            "state": "done", "seconds": round(report.seconds, 1), "synthesized": report.synthesized,
            "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in report.chapters],
            "duration_ms": report.chapters[-1].end_ms if report.chapters else 0,
            "files": [Path(p).resolve().relative_to(self.root).as_posix() for p in files],
        }

    # --- files edited elsewhere -------------------------------------------

    def watch(self) -> None:
        """Tell the page when a script, narrate.toml or the essay is saved (by anyone)."""
        self._watcher = Watcher(self._watched, self._changed)
        self._watcher.start()

    def _watched(self) -> list[Path]:
        script_dir = self.root / "script"
        paths = [self.root / CONFIG_NAME, *(sorted(script_dir.glob("*")) if script_dir.is_dir() else [])]
        try:
            essay = self.project().essay
        except NarrateError:
            essay = None
        return paths + ([essay] if essay is not None else [])

    def _changed(self, paths: list[str]) -> None:
        try:
            written = api.update_scripts(self.project())  # an edited essay makes its scripts again
        except NarrateError as exc:
            self.events.publish("problem", {"error": str(exc)})
            written = []
        self.events.publish("changed", {"files": [Path(p).name for p in paths] + written})

    def close(self) -> None:
        self.events.close()
        if self._watcher is not None:
            self._watcher.stop()


def _key(spec: EngineSpec, sentence: Sentence, take: int) -> str:
    engine = engines.instance(spec)
    return keys.speech_key(engine.name, engine.identity(), sentence.spoken, take)


def _book_file(project: api.Project) -> str | None:
    """The built book's path under audio/, if there is one."""
    book = project.book_path
    return f"{book.parent.name}/{book.name}" if book.is_file() else None
