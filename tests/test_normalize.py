"""normalize.py: what a narrator reads for each kind of written text; normalizing twice changes nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from narrate.text.normalize import normalize, roman_value
from narrate.text.split import read_essay_text

ESSAY = Path(__file__).resolve().parent.parent / "essay" / "la-la-land.txt"

BODY = [
    # (written, spoken)
    # numbers
    pytest.param("It took 3 days.", "It took three days.", id="small-number"),
    pytest.param("about 1,000,000 people", "about one million people", id="thousands-separators"),
    pytest.param("a 21 gun salute", "a twenty-one gun salute", id="hyphenated-tens"),
    pytest.param("pi is 3.14", "pi is three point one four", id="decimal"),
    pytest.param("only .5 of it", "only point five of it", id="leading-point"),
    pytest.param("agent 007", "agent zero zero seven", id="leading-zeros-digit-by-digit"),
    pytest.param("it fell to -5 today", "it fell to minus five today", id="negative"),
    pytest.param("pages 10-20", "pages ten to twenty", id="hyphen-range"),
    pytest.param("version 1.2.3", "version one point two point three", id="version-number"),
    pytest.param("Call 555-1234.", "Call five five five, one two three four.", id="phone-number"),
    pytest.param("He was 6'2\" tall", "He was six foot two tall", id="feet-and-inches"),
    pytest.param("the MP3 in 4K", "the MP three in four K", id="digits-glued-to-letters"),
    pytest.param("It ended. 42 came next.", "It ended. Forty-two came next.", id="sentence-start-capitalized"),
    # ordinals
    pytest.param("the 3rd time", "the third time", id="ordinal-rd"),
    pytest.param("the 21st century", "the twenty-first century", id="ordinal-st"),
    pytest.param("his 2nd and 101st", "his second and one hundred first", id="ordinal-nd-and-large"),
    # money
    pytest.param("$5.50 each", "Five dollars and fifty cents each", id="dollars-and-cents"),
    pytest.param("It costs $1.", "It costs one dollar.", id="one-dollar"),
    pytest.param("just $0.99", "just ninety-nine cents", id="cents-only"),
    pytest.param("it was $5.5 then", "it was five dollars and fifty cents then", id="one-decimal-digit-is-tens-of-cents"),
    pytest.param("a $1,200 fee", "a one thousand two hundred dollar fee", id="dollars-with-separator"),
    pytest.param("a $2.5 million budget", "a two point five million dollar budget", id="dollars-with-scale"),
    pytest.param("£3.20 or €20", "Three pounds and twenty pence or twenty euros", id="pounds-pence-euros"),
    pytest.param("¥500", "Five hundred yen", id="yen"),
    # percentages
    pytest.param("25% of them", "Twenty-five percent of them", id="percent"),
    pytest.param("a 3.5% rise", "a three point five percent rise", id="decimal-percent"),
    pytest.param("down -2%", "down minus two percent", id="negative-percent"),
    pytest.param("10-20% off", "Ten to twenty percent off", id="percent-range"),
    # dates and years
    pytest.param("in 1990 they met", "in nineteen ninety they met", id="year"),
    pytest.param("in 2005", "in two thousand five", id="year-two-thousands"),
    pytest.param("in 1066", "in ten sixty-six", id="year-eleventh-century"),
    pytest.param("the 1990s", "the nineteen nineties", id="decade"),
    pytest.param("the '80s and the 60s", "the eighties and the sixties", id="short-decades"),
    pytest.param("summer of '69", "summer of sixty-nine", id="short-year"),
    pytest.param("March 3, 2020", "March third, twenty twenty", id="month-day-year"),
    pytest.param("on 3 March 2020", "on the third of March, twenty twenty", id="day-month-year"),
    pytest.param("on the 4th of July", "on the fourth of July", id="ordinal-of-month"),
    pytest.param("On Jan. 5, 2021 we met", "On January fifth, twenty twenty-one we met", id="abbreviated-month"),
    pytest.param("2020-03-15 was a Sunday", "March fifteenth, twenty twenty was a Sunday", id="iso-date"),
    pytest.param("1990–1995", "Nineteen ninety to nineteen ninety-five", id="year-range"),
    # times
    pytest.param("at 3:30 pm", "at three thirty PM", id="time-pm"),
    pytest.param("at 3:30 p.m. Then we left.", "at three thirty PM. Then we left.", id="time-dotted-ends-sentence"),
    pytest.param("at 10 a.m., 7:05 and 15:45", "at ten AM, seven oh five and fifteen forty-five", id="times"),
    pytest.param("at 12:00 sharp", "at twelve o'clock sharp", id="on-the-hour"),
    pytest.param("by 5 PM", "by five PM", id="upper-case-pm"),
    # abbreviations
    pytest.param("Dr. Smith and Mr. Jones", "Doctor Smith and Mister Jones", id="doctor-mister"),
    pytest.param("Mrs. Brown, Ms. Green, Prof. Plum", "Missus Brown, Miz Green, Professor Plum", id="titles"),
    pytest.param("He lived on Main St. Then St. Louis.", "He lived on Main Street. Then Saint Louis.", id="street-and-saint"),
    pytest.param("John Smith Jr. was here.", "John Smith Junior was here.", id="junior"),
    pytest.param("cities, e.g. Paris", "cities, for example Paris", id="eg"),
    pytest.param("one city, i.e., Paris", "one city, that is, Paris", id="ie"),
    pytest.param("E.g. this one", "For example this one", id="eg-capitalized"),
    pytest.param("pears, etc. Then more.", "pears, et cetera. Then more.", id="etc-ends-sentence"),
    pytest.param("pears etc. and more", "pears et cetera and more", id="etc-mid-sentence"),
    pytest.param("Ali vs. Frazier", "Ali versus Frazier", id="versus"),
    pytest.param("Mr Smith vs Jones, pears etc", "Mister Smith versus Jones, pears et cetera", id="without-dots"),
    pytest.param("No. 5 and #1", "Number five and number one", id="number-sign"),
    pytest.param("see p. 12 and fig. 3", "see page twelve and figure three", id="page-figure"),
    pytest.param("the U.S. Army", "the US Army", id="initialism"),
    pytest.param("in the a.m. and the U.S.A.", "in the AM and the USA.", id="initialisms-spelled-in-capitals"),
    pytest.param("Jo, a.k.a. Mia", "Jo, also known as Mia", id="aka"),
    pytest.param("5 km, 1 km and 60 mph", "Five kilometers, one kilometer and sixty miles per hour", id="units"),
    pytest.param("It is 20°C, 70 °F, a 90° turn", "It is twenty degrees Celsius, seventy degrees Fahrenheit, a ninety degree turn", id="degrees"),
    # web and e-mail addresses
    pytest.param("Visit https://www.example.com/about?x=1.", "Visit example dot com slash about.", id="url"),
    pytest.param("see example.co.uk now", "see example dot co dot uk now", id="bare-domain"),
    pytest.param("www.narrate.dev/docs/", "narrate dot dev slash docs", id="www-and-trailing-slash"),
    pytest.param("<https://my-site.org>", "my dash site dot org", id="angle-brackets"),
    pytest.param("Write to jane.doe@example.org today.", "Write to jane dot doe at example dot org today.", id="e-mail"),
    # symbols
    pytest.param("Mia & Sebastian", "Mia and Sebastian", id="ampersand"),
    pytest.param("R&B", "R and B", id="ampersand-tight"),
    pytest.param("2 × 3 = 6", "Two times three equals six", id="times-equals"),
    pytest.param("2+2 and 18+", "Two plus two and eighteen plus", id="plus"),
    pytest.param("~20 people", "About twenty people", id="tilde-about"),
    pytest.param("1/2 and 3/4 and 2/3", "One half and three quarters and two thirds", id="fractions"),
    pytest.param("½ a cup", "one half a cup", id="vulgar-fraction"),
    pytest.param("open 24/7, and/or later", "open twenty-four seven, and or later", id="slashes"),
    pytest.param("© 2024 Ann", "copyright twenty twenty-four Ann", id="copyright"),
    pytest.param("Brand™ and Name®", "Brand and Name", id="trademarks-dropped"),
    pytest.param("a → b", "a to b", id="arrow"),
    pytest.param("meet @ noon", "meet at noon", id="at-sign"),
    pytest.param("“La La Land” isn’t", "\"La La Land\" isn't", id="curly-quotes"),
    # ellipses and dashes: pauses
    pytest.param("and then…", "and then...", id="ellipsis-character"),
    pytest.param("wait. . . what", "wait... what", id="spaced-ellipsis"),
    pytest.param("wait....what", "wait... what", id="long-ellipsis-gets-a-space"),
    pytest.param("not angels — temptations", "not angels, temptations", id="em-dash"),
    pytest.param("not angels—temptations", "not angels, temptations", id="em-dash-tight"),
    pytest.param("wait -- what", "wait, what", id="double-hyphen"),
    pytest.param("well-known", "well-known", id="hyphen-kept"),
    # emoji and invisible characters
    pytest.param("love 😀 you", "love you", id="emoji-dropped"),
    pytest.param("a 👨\u200d👩\u200d👧 b 🇺🇸 c", "a b c", id="emoji-sequences-dropped"),
    pytest.param("a ❤️ b 👍🏽", "a b", id="variation-selector-and-skin-tone"),
    pytest.param("press 1️⃣ now", "press one now", id="keycap"),
    pytest.param("zero\u200bwidth\u2060joined\u00adsoft", "zerowidthjoinedsoft", id="zero-width"),
    pytest.param("non\u00a0breaking\u2009thin", "non breaking thin", id="unicode-spaces"),
    pytest.param("on 12/25/2016", "on December twenty-fifth, twenty sixteen", id="slash-date-month-first"),
    pytest.param("on 25/12/2016", "on the twenty-fifth of December, twenty sixteen", id="slash-date-day-first"),
    pytest.param("on 3/4/2020", "on March fourth, twenty twenty", id="slash-date-ambiguous-reads-month-first"),
    # Roman numerals after a name: a monarch's ordinal, or a number where things are numbered
    pytest.param("Louis XIV met Henry V", "Louis the Fourteenth met Henry the Fifth", id="regnal"),
    pytest.param("Louis XIV's court", "Louis the Fourteenth's court", id="regnal-possessive"),
    pytest.param("Pope John Paul II", "Pope John Paul the Second", id="regnal-pope"),
    pytest.param("Type II and Apollo XI", "Type two and Apollo eleven", id="numbered-not-regnal"),
    pytest.param("Call 911 or dial 999", "Call nine one one or dial nine nine nine", id="dialed-numbers"),
    pytest.param("call 300 guests", "call three hundred guests", id="call-a-count"),
    # false positives: left alone
    pytest.param("Malcolm X spoke, then I left", "Malcolm X spoke, then I left", id="lone-X-and-I-are-letters"),
    pytest.param("I am here, am I?", "I am here, am I?", id="am-is-a-verb"),
    pytest.param("Part I of the story", "Part I of the story", id="roman-only-in-headings"),
    pytest.param("the Dr. said so", "the Dr. said so", id="title-without-a-name"),
    pytest.param("Mr.Smith", "Mr.Smith", id="no-space-no-title"),
    pytest.param("Node.js and src/main", "Node.js and src main", id="not-a-known-domain"),
    pytest.param("COVID-19", "COVID-nineteen", id="letters-hyphen-digits-is-no-minus"),
    pytest.param("see ../../etc/passwd", "see ../../etc/passwd", id="a-path-is-no-etc"),
    pytest.param("Plain words, as written.", "Plain words, as written.", id="plain"),
]

HEADINGS = [
    pytest.param("Part IV: The Return", "Part four: The Return", id="part-roman"),
    pytest.param("Chapter XII", "Chapter twelve", id="chapter-roman"),
    pytest.param("Book MCMXC", "Book one thousand nine hundred ninety", id="long-roman"),
    pytest.param("Part I", "Part one", id="part-one"),
    pytest.param("Chapter 3", "Chapter three", id="chapter-digits"),
    pytest.param("Appendix C", "Appendix C", id="single-letter-is-a-letter"),
    pytest.param("chapter iv", "chapter iv", id="lower-case-is-no-numeral"),
    pytest.param("What I Learned", "What I Learned", id="pronoun-I"),
    pytest.param("World War II", "World War Two", id="world-war"),
]


@pytest.mark.parametrize(("written", "spoken"), BODY)
def test_normalize(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), HEADINGS)
def test_normalize_heading(written, spoken):
    assert normalize(written, heading=True) == spoken


@pytest.mark.parametrize(("written", "spoken"), [*BODY, *HEADINGS])
def test_normalizing_spoken_text_changes_nothing(written, spoken):
    for heading in (False, True):
        once = normalize(written, heading=heading)
        assert normalize(once, heading=heading) == once


def test_no_digits_or_symbols_survive_in_the_table():
    for param in BODY:
        spoken = normalize(param.values[0])
        assert not any(ch.isdigit() or ch in "$€£¥%&@°½→" for ch in spoken), spoken


@pytest.mark.parametrize(("written", "spoken"), [
    pytest.param("Il avait 3 ans — déjà… « Oui » 😀", 'Il avait 3 ans, déjà... "Oui"', id="fr"),
    pytest.param("Am 3. Mai 2020 kostete es 5 € & mehr™", "Am 3. Mai 2020 kostete es 5 € & mehr", id="de"),
    pytest.param("zero\u200bwidth 1️⃣", "zerowidth 1", id="invisible-and-keycap"),
    pytest.param("Il fait 20°C ©", "Il fait 20°C ©", id="symbols-for-the-engine"),
    pytest.param("quoi -- , ?", "quoi?", id="tidied-to-a-fixed-point"),
])
def test_another_language_keeps_its_numbers_and_symbols_for_the_engine(written, spoken):
    assert normalize(written, language="fr") == spoken
    assert normalize(spoken, language="fr") == spoken


def test_english_variants_are_english():
    assert normalize("in 3 days", language="en-GB") == normalize("in 3 days") == "in three days"


def test_newlines_are_kept():
    assert normalize("Chapter 1\n\nIt cost $5.\n") == "Chapter one\n\nIt cost five dollars.\n"


def test_the_example_essay_reads_as_written():
    # It has no numbers or abbreviations: only its quotes, dashes and & change.
    essay = read_essay_text(ESSAY)
    spoken = normalize(essay)
    assert normalize(spoken) == spoken
    assert spoken.count("\n") == essay.count("\n")
    assert "Mia and Sebastian" in spoken and "isn't" in spoken


@pytest.mark.parametrize(("numeral", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XL", 40), ("MCMXC", 1990)])
def test_roman_value(numeral, value):
    assert roman_value(numeral) == value


def test_normalizing_mixed_text_twice_changes_nothing():
    """Rules meet each other in real text ("Mr. 5", "Main St. 2020"): random mixes of the table's words."""
    words = [w for p in [*BODY, *HEADINGS] for w in p.values[0].split()]
    words += ["the", "The", ".", ",", "I", "—", "...", "5", "1990", "$", "%", "p.m.", "St.", "Dr.", "Jr.", "-", "(", ")"]
    rng = random.Random(7)
    for _ in range(1000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        once = normalize(text)
        assert normalize(once) == once, text


def test_a_build_reads_a_hand_typed_script_normalized(example_project, fake_engine):
    """Digits and abbreviations typed into a script reach the engine in words; the rest stays cached."""
    from narrate import build as pipeline

    pipeline.build(pipeline.open_project(example_project), engine_name="fake")
    script = example_project / "script" / "03-the-sex-appeal-of-dreams.txt"
    script.write_text(
        script.read_text(encoding="utf-8").replace("It's bitter.", "It's bitter, e.g. in 1990 at 3:30 pm. Dr. Who paid $5."),
        encoding="utf-8",
    )
    fake_engine.clear()
    pipeline.build(pipeline.open_project(example_project), engine_name="fake")
    assert fake_engine == [
        "It's bitter, for example in nineteen ninety at three thirty PM.",
        "Doctor Who paid five dollars.",
    ]


def test_a_new_normalizer_version_splits_the_essay_again(example_project, fake_engine, monkeypatch):
    """Scripts made from the essay are made again when the readings change; the essay did not."""
    from narrate import build as pipeline
    from narrate import keys
    from narrate.project import essay_sha
    from narrate.text.script import essay_changed

    project = pipeline.open_project(example_project)
    pipeline.build(project, engine_name="fake")
    assert not essay_changed(project.script_dir, essay_sha(project))
    monkeypatch.setattr("narrate.project.NORMALIZE_VERSION", keys.NORMALIZE_VERSION + 1)
    assert essay_changed(project.script_dir, essay_sha(project))
