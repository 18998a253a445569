"use strict";
(function () {
  const data = JSON.parse(document.getElementById("book-data").textContent);
  const book = document.getElementById("book");
  const bar = document.getElementById("player");
  const nowChapter = document.getElementById("now-chapter");
  const buttons = Array.from(document.querySelectorAll(".chapter"));
  const tracks = Array.from(document.querySelectorAll("audio.track"));
  const sentences = Array.from(document.querySelectorAll(".s"));
  const cues = data.cues.map(([start, end]) => ({ start, end }));
  const still = window.matchMedia("(prefers-reduced-motion: reduce)");
  let spoken = -1, chapter = -2;

  // The last item starting at or before t (items sorted by start), or -1.
  function lastStarted(items, t) {
    let lo = 0, hi = items.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].start <= t + 1e-3) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  // Whether an element shows between the player bar and the bottom of the window.
  function visible(element) {
    const box = element.getBoundingClientRect();
    return box.top >= bar.getBoundingClientRect().bottom && box.bottom <= window.innerHeight;
  }

  // Mark sentence i as spoken. The text follows it while the reader follows along (the
  // previous sentence was in view) or when asked to; a reader who scrolled away is left there.
  function speak(i, scroll) {
    const before = spoken >= 0 ? sentences[spoken] : null;
    if (i !== spoken) {
      const following = !before || visible(before);
      if (before) before.removeAttribute("aria-current");
      spoken = i;
      if (i >= 0) sentences[i].setAttribute("aria-current", "true");
      scroll = scroll || following;
    }
    if (scroll && i >= 0 && !visible(sentences[i])) {
      sentences[i].scrollIntoView({ block: "center", behavior: still.matches ? "auto" : "smooth" });
    }
  }

  // Show what is said at book time t: the sentence stays marked through the pause after it.
  function show(t, scroll) {
    speak(lastStarted(cues, t), scroll);
    const now = lastStarted(data.chapters, t);
    if (now !== chapter) {
      chapter = now;
      nowChapter.textContent = now >= 0 ? data.chapters[now].title : "";
      buttons.forEach((b, i) => b.setAttribute("aria-current", i === now ? "true" : "false"));
    }
  }

  function only(playing) {
    for (const other of [book, ...tracks]) { if (other !== playing && !other.paused) other.pause(); }
  }

  // While audio plays, follow it every frame (timeupdate comes only about four times a second).
  function follow(audio, toBook) {
    const step = () => { if (!audio.paused) { show(toBook(audio.currentTime), false); requestAnimationFrame(step); } };
    audio.addEventListener("play", () => { only(audio); step(); });
    audio.addEventListener("timeupdate", () => show(toBook(audio.currentTime), false));
    audio.addEventListener("seeked", () => show(toBook(audio.currentTime), false));
  }

  function playFrom(seconds) {
    book.currentTime = seconds;
    show(seconds, true);
    book.play().catch(() => {});  // a browser may refuse to autoplay; the seek still stands
  }

  follow(book, (t) => t);
  tracks.forEach((audio) => {
    const track = data.tracks[Number(audio.dataset.index)];
    follow(audio, (t) => track.book + t - track.offset);
  });
  buttons.forEach((button) => button.addEventListener("click", () => playFrom(Number(button.dataset.start))));
  sentences.forEach((sentence, i) => {
    sentence.addEventListener("click", () => playFrom(cues[i].start));
    sentence.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Space would scroll the page
        playFrom(cues[i].start);
      }
    });
  });
  show(0, false);
})();
