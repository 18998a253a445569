// narrate studio: the book as text; every change goes to the server, which writes the project's files first.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const player = $("take"), text = $("text");
  let book = null;            // the server's /api/book
  let flat = [];              // [{section, sentence}] in book order
  let current = -1;           // the selected sentence (index in flat)
  let queue = [];             // what plays next: [{key, from, to}]
  let editing = null;         // the sentence being edited, or null
  let stale = false;          // files changed while editing: reload after
  let undoState = { steps: 0, next: "" };  // the server's undo journal: what Undo would take back
  const previous = new Map(); // "script/index" -> {key, take} before the last save or take
  const doubtful = new Map();  // "script/index" the recognizer doubted -> what it heard
  const edited = new Set();    // "script/index" saved from this page: marked until the page is reloaded

  const id = (s, i) => `${s}/${i}`;
  const say = (msg) => { $("status").textContent = msg; };
  const fail = (msg) => { $("error").textContent = msg; };

  async function call(url, body) {
    const options = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    if (body !== undefined) fail("");  // a new action: the last one's message goes (an event's may come meanwhile)
    const response = await fetch(url, { credentials: "same-origin", ...options });
    const data = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
    if (!response.ok) { fail(data.error || `the server answered ${response.status}`); throw new Error(data.error); }
    return data;
  }

  // --- the text ---------------------------------------------------------
  function span(entry, g) {
    const s = document.createElement("span");
    s.className = "s" + (entry.sentence.cached ? "" : " uncached")
      + (doubtful.has(id(entry.section.script, entry.sentence.index)) ? " doubtful" : "")
      + (edited.has(id(entry.section.script, entry.sentence.index)) ? " edited" : "");
    s.setAttribute("role", "button");
    s.tabIndex = g === rover ? 0 : -1;
    s.dataset.g = g;
    s.textContent = entry.sentence.text;
    const heard = doubtful.get(id(entry.section.script, entry.sentence.index));
    if (heard !== undefined) s.title = `The recognizer heard “${heard}”`;
    if (g === current) s.setAttribute("aria-current", "true");
    return s;
  }

  // The text is one stop of the Tab order (a long book would otherwise be thousands of stops before the
  // panels): one sentence is in it, and the arrow keys, Home and End move between them.
  let rover = 0;
  function roveTo(g, focus) {
    const old = spanOf(rover);
    if (old) old.tabIndex = -1;
    rover = Math.max(0, Math.min(g, flat.length - 1));
    const now = spanOf(rover);
    if (now) { now.tabIndex = 0; if (focus) now.focus(); }
  }

  function render() {
    if (rover >= book.sections.reduce((n, section) => n + section.sentences.length, 0)) rover = 0;
    flat = [];
    const out = document.createDocumentFragment();
    for (const section of book.sections) {
      let block = null, paragraph = -1;
      for (const sentence of section.sentences) {
        if (sentence.paragraph !== paragraph) {
          paragraph = sentence.paragraph;
          block = document.createElement(paragraph === 0 ? "h3" : "p");
          out.appendChild(block);
        } else block.appendChild(document.createTextNode(" "));
        flat.push({ section, sentence });
        block.appendChild(span(flat[flat.length - 1], flat.length - 1));
      }
    }
    text.replaceChildren(out);
    $("title").textContent = book.title;
    document.title = `${book.title} – narrate studio`;
    tools();
  }

  function spanOf(g) { return text.querySelector(`.s[data-g="${g}"]`); }

  function select(g) {
    const old = spanOf(current);
    if (old) old.removeAttribute("aria-current");
    current = g;
    const now = spanOf(g);
    if (now) { now.setAttribute("aria-current", "true"); now.scrollIntoView({ block: "nearest" }); roveTo(g, false); }
    const entry = flat[g];
    $("now").textContent = entry ? `${entry.section.title} — sentence ${entry.sentence.index + 1}, take ${entry.sentence.take + 1}` : "";
    tools();
  }

  function tools() {
    const entry = flat[current];
    $("edit").disabled = $("another").disabled = !entry || editing !== null;
    const before = entry && previous.get(id(entry.section.script, entry.sentence.index));
    $("previous").disabled = !before || editing !== null;
    $("restore").disabled = !before || before.take === null || editing !== null;  // after a text edit, Undo
    $("undo").disabled = !undoState.steps || editing !== null;
    $("undo").title = undoState.steps ? `Undo ${undoState.next} (${undoState.steps} step(s) kept)` : "Nothing to undo";
  }

  const loaded = [];  // what else the page makes from /api/book, before the text is drawn (studio-panels.js: the doubts)
  async function load() {
    book = await call("/api/book");
    undoState = book.undo;
    for (const hook of loaded) hook(book);
    render();
    if (current >= flat.length) current = -1;
    select(current);
  }

  // --- playing -------------------------------------------------------------
  const speaking = new Map();  // sentence (object) -> its /api/speak under way: asked once, however often wanted
  async function ensure(g, quiet) {
    const entry = flat[g];
    if (!entry.sentence.cached) {
      const message = `Speaking “${entry.sentence.text.slice(0, 60)}”…`;
      if (!quiet) say(message);
      let asked = speaking.get(entry.sentence);
      if (!asked) {
        asked = call("/api/speak", { script: entry.section.script, index: entry.sentence.index });
        speaking.set(entry.sentence, asked);
      }
      try { Object.assign(entry.sentence, await asked); } finally { speaking.delete(entry.sentence); }
      const s = spanOf(flat.findIndex((e) => e.sentence === entry.sentence));
      if (s) s.classList.remove("uncached");
      if ($("status").textContent === message) say("");  // another action's message stays
    }
    return entry.sentence.key;
  }

  function playNext() {
    const item = queue.shift();
    if (!item) return;
    if (item.g !== undefined) select(item.g);
    player.src = `/api/audio/${item.key}.wav`;
    player.dataset.to = item.to ?? "";
    // play() itself loads the take (the player's preload is "none": loading waits for it).
    player.onloadedmetadata = () => { if (item.from < 0) player.currentTime = Math.max(0, player.duration + item.from); };
    player.play().catch(() => {});
  }
  player.addEventListener("error", () => {
    if (player.getAttribute("src")) fail("That take could not be played: it is not in the cache any more; play the sentence to speak it again.");
  });
  player.addEventListener("timeupdate", () => {
    const to = parseFloat(player.dataset.to);
    if (!isNaN(to) && player.currentTime >= to) { player.pause(); playNext(); }
  });
  player.addEventListener("ended", async () => {
    if (queue.length) return playNext();
    if (player.dataset.follow === "1" && current + 1 < flat.length) await playFrom(current + 1);
  });

  async function playFrom(g) {
    select(g);
    try {
      const key = await ensure(g);
      queue = [{ key, g }];
      player.dataset.follow = "1";
      playNext();
      if (g + 1 < flat.length) ensure(g + 1, true).catch(() => {});  // the next one ready when this one ends
    } catch (e) { /* shown */ }
  }

  // The end of the sentence before, the new take, the start of the one after.
  async function playInContext(g, key) {
    try { await inContext(g, key); } catch (e) { /* shown by call() */ }
  }

  async function inContext(g, key) {
    queue = [];
    if (g > 0) queue.push({ key: await ensure(g - 1, true), from: -1.5 });  // quietly: the action's message stays
    queue.push({ key: key || (await ensure(g, true)), g });
    if (g + 1 < flat.length) queue.push({ key: await ensure(g + 1, true), to: 1.5 });
    player.dataset.follow = "0";
    playNext();
  }

  // --- editing -------------------------------------------------------------
  function edit(g) {
    const entry = flat[g], s = spanOf(g);
    if (!entry || !s || editing !== null) return;
    editing = g;
    const form = document.createElement("span");
    form.className = "editor";
    const area = document.createElement("textarea");
    area.value = entry.sentence.text;
    area.setAttribute("aria-label", "Sentence text");
    const save = document.createElement("button"), cancel = document.createElement("button");
    save.type = cancel.type = "button";
    save.textContent = "Save";
    cancel.textContent = "Cancel";
    form.append(area, save, cancel);
    s.replaceWith(form);
    area.focus();
    const close = () => { editing = null; form.replaceWith(span(entry, g)); tools(); if (stale) { stale = false; load(); } };
    cancel.onclick = () => { close(); spanOf(g).focus(); };
    save.onclick = () => commit(g, area.value, close);
    area.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); cancel.onclick(); }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save.onclick(); }
    });
    tools();
  }

  async function commit(g, value, close) {
    const entry = flat[g];
    const was = entry.sentence.text;
    say("Saving…");
    let done;
    try {
      done = await call("/api/save", { script: entry.section.script, index: entry.sentence.index, old: was, new: value, sha: entry.section.sha });
    } catch (e) { say(""); return; }
    if (close) { editing = null; stale = false; }
    previous.set(id(entry.section.script, entry.sentence.index), { key: done.previous, take: null });
    changed(entry.section, done);
    say("Saved to the script; playing the new take in context.");
  }

  // A section's sentences as the server wrote them: shown, the changed ones marked, the first played in context.
  function changed(section, done) {
    undoState = done.undo;
    section.sha = done.sha;
    section.sentences = done.sentences;
    render();
    const first = flat.findIndex((e) => e.section === section && e.sentence.index === done.changed[0]);
    for (const i of done.changed) {
      edited.add(id(section.script, i));
      const s = spanOf(first + i - done.changed[0]);
      if (s) s.classList.add("edited");
    }
    select(first);
    spanOf(first).focus();
    playInContext(first, flat[first].sentence.key);
  }

  // The sentence current at the click, even if the player has gone on to the next one meanwhile.
  async function another() {
    const g = current, entry = flat[g];
    say("Asking the voice for another take…");
    try {
      const done = await call("/api/take", { script: entry.section.script, index: entry.sentence.index });
      previous.set(id(entry.section.script, entry.sentence.index), { key: done.previous, take: entry.sentence.take });
      Object.assign(entry.sentence, done.sentence);
      undoState = done.undo;
      say(`Take ${entry.sentence.take + 1} chosen; the next build uses it.`);
      select(g);
      playInContext(g, entry.sentence.key);
    } catch (e) { say(""); }
  }

  async function restore() {
    const g = current, entry = flat[g], before = previous.get(id(entry.section.script, entry.sentence.index));
    try {
      const done = await call("/api/take", { script: entry.section.script, index: entry.sentence.index, take: before.take });
      previous.set(id(entry.section.script, entry.sentence.index), { key: done.previous, take: entry.sentence.take });
      Object.assign(entry.sentence, done.sentence);
      undoState = done.undo;
      say(`Take ${entry.sentence.take + 1} chosen again.`);
      select(g);
      playInContext(g, entry.sentence.key);
    } catch (e) { /* shown */ }
  }

  // The server keeps the undo journal (.narrate/undo.json): a reload or a restart keeps every step.
  async function undoLast() {
    say("Undoing…");
    let done;
    try { done = await call("/api/undo", {}); } catch (e) { say(""); await load().catch(() => {}); return; }
    const section = book.sections.find((s) => s.script === done.script);
    if (!section) { await load(); return; }
    changed(section, done);
    say(done.kind === "take" ? `Undone: ${done.label}; the take before is chosen again.` : `Undone: ${done.label}; the script is back as it was.`);
  }

  // --- pronunciation ---------------------------------------------------------
  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    if (editing !== null || !sel || sel.isCollapsed || !text.contains(sel.anchorNode)) return;
    const word = sel.toString().trim();
    if (word && word.length < 60 && !/\n/.test(word)) $("word").value = word.replace(/^[^\w]+|[^\w]+$/g, "");
  });

  $("lexicon").addEventListener("submit", async (e) => {
    e.preventDefault();
    const word = $("word").value.trim(), spoken = $("spoken").value.trim();
    say(`Writing ${word} into narrate.toml and speaking its sentences…`);
    let done;
    try { done = await call("/api/lexicon", { word, spoken: spoken || null }); } catch (err) { say(""); return; }
    await load();
    const list = $("affected");
    list.replaceChildren();
    for (const s of done.sentences) {
      const li = document.createElement("li");
      li.textContent = s.text;
      const now = document.createElement("button"), was = document.createElement("button");
      now.type = was.type = "button";
      now.textContent = "Play new";
      was.textContent = "Play old";
      now.onclick = () => { queue = [{ key: s.key }]; player.dataset.follow = "0"; playNext(); };
      was.onclick = () => { queue = [{ key: s.previous }]; player.dataset.follow = "0"; playNext(); };
      was.disabled = !s.previous;
      li.append(now, was);
      list.appendChild(li);
    }
    say(spoken ? `${done.sentences.length} sentence(s) with “${word}”, spoken again.`
      : `“${word}” removed from narrate.toml; ${done.sentences.length} sentence(s) with it spoken again as written.`);
  });

  function playKeys(keys) {
    queue = keys.filter(Boolean).map((key) => ({ key }));
    player.dataset.follow = "0";
    playNext();
  }

  $("hear").addEventListener("click", async () => {
    const word = $("word").value.trim(), spoken = $("spoken").value.trim();
    if (!word || !spoken) { fail("type the word and how to say it, then Hear it"); return; }
    const entry = flat[current];
    const inside = entry && entry.sentence.text.toLowerCase().includes(word.toLowerCase());
    say(`Speaking “${word}” as “${spoken}”…`);
    try {
      const done = await call("/api/preview", inside ? { word, spoken, script: entry.section.script, index: entry.sentence.index } : { word, spoken });
      say(done.sentence ? `“${word}” alone, then in “${done.sentence.text.slice(0, 60)}”. Apply writes it into narrate.toml.` : `“${word}” alone (no sentence has it).`);
      playKeys([done.word, done.sentence && done.sentence.key]);
    } catch (e) { say(""); }
  });

  // --- events from the server ----------------------------------------------
  const events = new EventSource("/api/events");
  events.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    $("progress-box").hidden = false;
    $("progress-label").textContent = p.task === "review"
      ? (p.stage === "hear" ? `The recognizer is hearing sentence ${p.done} of ${p.total}` : `Speaking the sentences not spoken yet: ${p.done} of ${p.total}`)
      : (p.stage === "encode" ? "Encoding sections" : "Speaking sentences");
    $("progress").max = p.total;
    $("progress").value = p.done;
  });
  events.addEventListener("problem", (e) => fail(JSON.parse(e.data).error));
  events.addEventListener("changed", () => {
    if (editing !== null) { stale = true; say("A file changed on disk; the page reloads it after this edit."); return; }
    load().then(() => say("The project's files changed on disk: reloaded."));
  });

  // --- keyboard and clicks ---------------------------------------------------
  text.addEventListener("click", (e) => {
    const s = e.target.closest(".s");
    if (s && document.getSelection().isCollapsed) playFrom(Number(s.dataset.g));
  });
  text.addEventListener("keydown", (e) => {
    const s = e.target.closest(".s");
    if (!s) return;
    const g = Number(s.dataset.g);
    const moves = { ArrowDown: g + 1, ArrowRight: g + 1, ArrowUp: g - 1, ArrowLeft: g - 1, Home: 0, End: flat.length - 1 };
    if (e.key in moves && !e.altKey && !e.ctrlKey && !e.metaKey) { e.preventDefault(); roveTo(moves[e.key], true); }
    else if (e.key === "Enter" || e.key === " ") { e.preventDefault(); playFrom(g); }
    else if (e.key === "e" || e.key === "E") { e.preventDefault(); select(g); edit(g); }
  });
  $("edit").addEventListener("click", () => edit(current));
  $("another").addEventListener("click", another);
  $("previous").addEventListener("click", () => {
    const entry = flat[current], before = previous.get(id(entry.section.script, entry.sentence.index));
    queue = [{ key: before.key }];
    player.dataset.follow = "0";
    playNext();
    say("Playing the previous take; “Use previous take” chooses it again.");
  });
  $("restore").addEventListener("click", restore);
  $("undo").addEventListener("click", undoLast);

  // What studio-panels.js (the voice and the review) works with.
  window.studio = {
    $, call, say, fail, id, load, loaded, render, select, playKeys, events, doubtful,
    get flat() { return flat; }, get current() { return current; },
  };
  load().catch(() => { text.textContent = "The book could not be loaded; see the message above."; });
})();
