// narrate studio, the build, voice and review panels: over what studio.js shares as window.studio (its hooks run before the initial load answers).
"use strict";
(function () {
  const studio = window.studio;
  const { $, call, say, fail, id, load, playKeys, doubtful } = studio;  // shared with studio.js

  // On a narrow window the panels sit above the text: folded, so the text starts near the top.
  if (window.matchMedia("(max-width: 56rem)").matches) {
    for (const panel of document.querySelectorAll(".panel")) panel.open = false;
  }

  // --- building ---------------------------------------------------------------
  $("build").addEventListener("click", async () => {
    try { await call("/api/build", {}); say("Building the book…"); } catch (e) { /* shown */ }
  });

  function clock(ms) {
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  // The built book as its files say it (made again on every load): its player, chapters and files.
  function showResult(result) {
    $("result").hidden = !result;
    if (!result) return;
    const src = `/files/${result.files[0].slice(6)}?v=${result.version}`;
    if ($("book").getAttribute("src") !== src) $("book").src = src;  // the same book keeps playing
    $("summary").textContent = `${result.chapters.length} chapters, ${clock(result.duration_ms)} long.`;
    $("chapters").replaceChildren(...result.chapters.map((c) => {
      const li = document.createElement("li"), go = document.createElement("button");
      go.type = "button";
      go.className = "chapter";
      go.textContent = `${clock(c.start_ms)} ${c.title}`;
      go.onclick = () => { $("book").currentTime = c.start_ms / 1000; $("book").play().catch(() => {}); };
      li.appendChild(go);
      return li;
    }));
    $("files").replaceChildren(...result.files.map((f) => {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = `/files/${f.slice(6)}`;
      a.textContent = f;
      li.appendChild(a);
      return li;
    }));
  }

  async function built(data) {
    $("progress-box").hidden = true;
    $("build").disabled = $("review").disabled = data.state === "started";  // one at a time, as the server runs them
    if (data.state === "failed") { fail(data.error); say(""); return; }
    if (data.state !== "done") return;
    await load().catch(() => {});  // its result, read back from the files it wrote
    say(`Built in ${data.seconds} s (${data.synthesized} sentence(s) spoken): ${data.chapters.length} chapters, ${clock(data.duration_ms)} long.`);
  }

  studio.loaded.push((book) => showResult(book.built));
  studio.events.addEventListener("build", (e) => built(JSON.parse(e.data)));

  // --- the voice ---------------------------------------------------------------
  async function loadVoices() {
    const found = await call("/api/voices");
    $("voice-now").textContent = `Narrated by ${found.engine}.`;
    $("voices").replaceChildren(...found.voices.map((v) => {
      const option = document.createElement("option");
      option.value = v.name;
      option.textContent = `${v.name} (${v.engine}, ${v.language}${v.network ? ", online" : ""})`;
      option.selected = v.name === found.current;
      return option;
    }));
  }

  $("sample").addEventListener("click", async () => {
    const voice = $("voices").value, entry = studio.flat[studio.current];
    say(`Speaking a sentence in ${voice}…`);
    try {
      const done = await call("/api/sample", entry ? { voice, script: entry.section.script, index: entry.sentence.index } : { voice });
      say(`${voice}: “${done.text.slice(0, 60)}”. Use this voice to narrate the book with it.`);
      playKeys([done.key]);
    } catch (e) { say(""); }
  });

  $("voice").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await call("/api/voices", { voice: $("voices").value });
      await load();
      await loadVoices();
      say(`narrate.toml now names ${$("voices").value}; sentences are spoken with it as you play them, and by the next build.`);
    } catch (err) { /* shown */ }
  });

  // --- review -------------------------------------------------------------------
  // Every sentence is heard: those not spoken yet are spoken first (and kept in the cache, as a build would).
  $("review").addEventListener("click", async () => {
    try {
      await call("/api/review", {});
      $("review").disabled = true;
      say("The recognizer is hearing every sentence of the book (speaking first those not spoken yet)…");
    } catch (e) { /* shown */ }
  });

  // The doubts of the last review still standing (kept by the server in .narrate/review.json): marked and listed.
  function showDoubts(found) {
    doubtful.clear();
    const list = $("doubts");
    list.replaceChildren();
    for (const s of found) {
      doubtful.set(id(s.script, s.index), s.transcript);
      const li = document.createElement("li"), heard = document.createElement("span");
      li.append(document.createTextNode(`“${s.text}” `));
      heard.className = "heard";
      heard.textContent = `heard as “${s.transcript}”`;
      const play = document.createElement("button"), again = document.createElement("button");
      play.type = again.type = "button";
      play.textContent = "Play";
      again.textContent = "Retake";
      play.onclick = () => playKeys([s.key]);
      again.onclick = async () => {
        try {
          const done = await call("/api/take", { script: s.script, index: s.index });
          await load();  // its new take is no longer the one doubted: it leaves the list
          say(`Retaken: take ${done.sentence.take + 1} of “${s.text.slice(0, 60)}”, playing; the next review hears it.`);
          playKeys([done.sentence.key]);
        } catch (e) { /* shown */ }
      };
      li.append(heard, play, again);
      list.appendChild(li);
    }
  }
  studio.loaded.push((book) => {
    showDoubts(book.doubtful);
    $("review").disabled = $("build").disabled = book.reviewing || book.building;
  });

  async function reviewed(data) {
    if (data.state === "started") { $("review").disabled = $("build").disabled = true; return; }
    $("review").disabled = $("build").disabled = false;
    $("progress-box").hidden = true;
    if (data.state === "failed") { fail(data.error); say(""); return; }
    if (data.state !== "done") return;
    await load().catch(() => {});  // the doubts, and the sentences it spoke (in the cache now: no longer marked unspoken)
    const spoken = data.spoken ? ` (${data.spoken} spoken first)` : "";
    say(`The recognizer heard ${data.heard} of the book's ${data.total} sentences as written${spoken} and doubted ${data.doubtful.length}.`);
  }

  studio.events.addEventListener("review", (e) => reviewed(JSON.parse(e.data)));
  loadVoices().catch(() => {});
})();
