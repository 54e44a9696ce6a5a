"""Writes notebooks/synthesis.ipynb (kept as a script so the cells are reviewable)."""
from nbgen import code, md, write

cells = []
cells.append(md("""# Across the five statements

Five statements between {glue:text}`first_date` and {glue:text}`last_date`
set out China's priorities for new energy vehicles. Read side by side, they
contain {glue:text}`n_pledges` commitments that can be checked: numbered
priorities and concrete promises. By {glue:text}`as_of`,
{glue:text}`n_delivered` had been delivered, {glue:text}`n_partly` partly
delivered and {glue:text}`n_notyet` not yet; for {glue:text}`n_noevidence`
we found no evidence either way. The emphasis moved: counting the quotes and
commitments this book records, the January 2021 speech dwelt most on
{glue:text}`top_ev100-2021`, the February 2022 press conference on
{glue:text}`top_scio-2022-02-28`, the March 2022 forum on
{glue:text}`top_ev100-2022`, the September 2022 press conference on
{glue:text}`top_miit-2022-09-06` and the February 2023 answers on
{glue:text}`top_miit-qa-2023-02-06`. This chapter puts the five together;
the theme chapters hold the detail."""))

cells.append(code('''import pandas as pd

import nevbook as nb
from nevbook import charts, checks
from nevbook.data import cite
from nevbook.render import Table

sources = nb.table("sources").sort_values("date").reset_index(drop=True)
themes = nb.table("themes").set_index("id")
pledges = nb.table("pledges")
quotes = nb.table("quotes")
speakers = nb.table("speakers").set_index("id")
src_speakers = nb.table("source_speakers")
marks = charts.statement_marks()  # for time axes: nearby statements share a line
labels = charts.statement_marks(merge_days=0)
label = dict(zip(labels.source_id, labels.label))  # "Feb 2022 SCIO"
order = [label[s] for s in sources.id]

STATUS = ["delivered", "partly", "not-yet", "no-evidence"]
STATUS_TEXT = {"delivered": "Delivered", "partly": "Partly", "not-yet": "Not yet", "no-evidence": "No evidence found"}
counts = pledges.status.value_counts().reindex(STATUS, fill_value=0)

# Theme x statement: every quote and pledge the book records, by theme.
items = pd.concat([
    quotes[["source_id", "themes"]].assign(kind="quote"),
    pledges[["source_id", "themes"]].assign(kind="pledge"),
]).explode("themes").rename(columns={"themes": "theme"})
items = items[items.theme.isin(themes.index)]
grid = (items.groupby(["theme", "source_id"]).size().rename("items").reset_index())
full = pd.MultiIndex.from_product([themes.index, sources.id], names=["theme", "source_id"])
grid = grid.set_index(["theme", "source_id"]).reindex(full, fill_value=0).reset_index()
grid["statement"] = grid.source_id.map(label)
grid["theme_title"] = grid.theme.map(themes.title)
grid["citation_id"] = "text-" + grid.source_id
grid["publisher"] = "Five statements (English copies)"
by_theme = grid.groupby("theme")["items"].sum()
grid = grid[grid.theme.map(by_theme) > 0]
theme_order = list(grid.groupby("theme_title")["items"].sum().sort_values(ascending=False).index)
top_by_source = grid.loc[grid.groupby("source_id")["items"].idxmax()].set_index("source_id")
present = grid[grid["items"] > 0].groupby("theme_title").size()
everywhere = [t for t in theme_order if present.get(t, 0) == len(sources)]
years = f"{sources.date.min()[:4]}–{sources.date.max()[:4]}"

nb.glue_text("first_date", f"{pd.Timestamp(sources.date.iloc[0]):%B %Y}")
nb.glue_text("last_date", f"{pd.Timestamp(sources.date.iloc[-1]):%B %Y}")
nb.glue_text("as_of", f"{pd.Timestamp(pledges.as_of.max()):%-d %B %Y}")
nb.glue_text("n_pledges", str(len(pledges)))
for s in STATUS:
    nb.glue_text(f"n_{s.replace('-', '')}", str(counts[s]))
nb.glue_text("n_themes", str(len(theme_order)))
for sid in sources.id:
    nb.glue_text(f"top_{sid}", top_by_source.loc[sid, "theme_title"].lower())
''', "remove-cell"))

cells.append(md("""## The statements side by side

Three are set pieces with five numbered priorities each: the minister's
speech at the China EV100 Forum in January 2021, the vice minister's
priorities at the State Council Information Office in February 2022, and
the ministry's written answers of February 2023. The other two are reports
of several officials: the 2022 forum, where four departments spoke, and a
ministry press conference in September 2022 that reviewed a decade of NEV
policy. Each statement has a page with its whole text."""))

cells.append(code('''def who(sid):
    ids = [s for s in src_speakers[src_speakers.source_id == sid].speaker_id if s != "narration"]
    return "; ".join(f"{speakers.loc[i, 'name']} ({speakers.loc[i, 'organisation']})" for i in ids)

side = pd.DataFrame({
    "Date": pd.to_datetime(sources.date).dt.strftime("%-d %b %Y"),
    "Statement": sources.event.str.split(",").str[0].str.split(" \\\\(").str[0],
    "Speakers": sources.id.map(who),
    "Themes treated at length": sources.id.map(lambda s: ", ".join(
        themes.loc[t, "title"] for t in nb.table("source_themes").query("source_id == @s and coverage == 'explicit'").theme)),
    "Commitments": sources.id.map(pledges.source_id.value_counts()).fillna(0).astype(int),
})
Table(side, caption="The five statements in date order: who spoke, which themes each treats at length, and how many commitments this book records from each.", id="statements-table")
''', "remove-input"))

cells.append(md("""How each frames its task shows the shift. In January 2021 the minister put
the industry's layout and supply chain first:

```{nev-quote} syn-ev100-21-key-questions
```

A year later the vice minister introduced five areas of work:

```{nev-quote} syn-scio-22-five-aspects
```

At the 2022 forum, departments beyond the industry ministry spoke:

```{nev-quote} syn-ev100-22-policy-ideas
```

The ministry's September 2022 press conference looked ahead:

```{nev-quote} syn-miit-22-new-level
```

By February 2023 the first priority was coordination across government:

```{nev-quote} syn-miitqa-23-coordination
```

## Where the emphasis lay

The grid counts, for each statement, the quotes and commitments this book
records under each theme. It measures what the statements say that can be
quoted or checked, not the length of the texts: a statement with many
speakers yields more items. Read across a row, it shows when a theme rose or
faded."""))

cells.append(code('''charts.figure(
    charts.matrix(grid, x="statement", y="theme_title", value="items", x_order=order,
                  y_order=theme_order, color_title="Quotes and commitments"),
    id="theme-by-statement",
    title=f"{len(everywhere)} of {len(theme_order)} themes appear in all five statements; the rest come and go",
    subtitle=f"Number of quotes and commitments recorded per theme, by statement, {years}; count of items in the book's data",
    description=(f"Grid of {len(theme_order)} themes by the five statements in date order. Each cell counts the quotes and "
                 "commitments this book records for that theme in that statement. "
                 + " ".join(f"{label[s]}: most items on {top_by_source.loc[s, 'theme_title'].lower()} ({top_by_source.loc[s, 'items']})."
                            for s in sources.id)),
    takeaway=(f"In all five: {charts.and_join([everywhere[0]] + [t[0].lower() + t[1:] for t in everywhere[1:]])}. "
              "The theme with the most items: " + "; ".join(
        f"{label[s]}, {top_by_source.loc[s, 'theme_title'].lower()}" for s in sources.id) + "."),
    source="Source: the five statements (English copies); counts from this book's quotes and pledges data.",
    data=grid[["statement", "theme_title", "items", "source_id", "citation_id", "publisher"]],
)
''', "remove-input"))

cells.append(md("""## What happened to the commitments

Each commitment is summarised in our words and assessed against what
followed, with the evidence cited. "Delivered" means the promised measure was
taken, not that it achieved its aim; "partly" that some of it was; "not yet"
that it is under way or still promised; "no evidence found" that we could not
find public evidence either way."""))

cells.append(code('''status = pledges.assign(
    statement=pledges.source_id.map(label),
    status_text=pledges.status.map(STATUS_TEXT),
    citation_id=pledges.citation_ids.map(lambda c: ";".join(c) if c else None),
)
status["citation_id"] = status.citation_id.fillna("text-" + status.source_id)
bars_df = (status.groupby(["statement", "status_text"], sort=False)
           .agg(value=("id", "size"), citation_id=("citation_id", lambda c: ";".join(sorted(set(";".join(c).split(";"))))))
           .reset_index())
bars_df["unit"] = "commitments"
bars_df["publisher"] = "This book's assessment; evidence cited in the pledge tables"
bars_df["status_text"] = pd.Categorical(bars_df.status_text, [STATUS_TEXT[s] for s in STATUS])
bars_df["statement"] = pd.Categorical(bars_df.statement, order)
bars_df = bars_df.sort_values(["statement", "status_text"]).astype({"statement": str, "status_text": str})
share_done = (counts["delivered"] + counts["partly"]) / counts.sum()
charts.figure(
    charts.bars(bars_df, x="statement", color="status_text", y_title="Commitments", fmt=",.0f", stack=True),
    id="pledge-status",
    title=f"{share_done:.0%} of the {counts.sum()} commitments were delivered in whole or in part",
    subtitle=f"Commitments by statement and status as of {pd.Timestamp(pledges.as_of.max()):%-d %B %Y}; number of commitments",
    description=(f"Stacked bar chart of the {counts.sum()} commitments in the five statements, by statement in date order, "
                 "split by status: " + ", ".join(f"{STATUS_TEXT[s].lower()} {counts[s]}" for s in STATUS) + "."),
    takeaway=(f"{counts['delivered']} delivered, {counts['partly']} partly, {counts['not-yet']} not yet, "
              f"and no evidence found for {counts['no-evidence']}."),
    source="Source: this book's assessment of each commitment; the evidence is cited in the tables below.",
    data=bars_df,
)
''', "remove-input"))

for sid, title in [("ev100-2021", "China EV100 Forum, January 2021"),
                   ("scio-2022-02-28", "SCIO press conference, February 2022"),
                   ("ev100-2022", "China EV100 Forum, March 2022"),
                   ("miit-2022-09-06", "MIIT press conference, September 2022"),
                   ("miit-qa-2023-02-06", "MIIT written answers, February 2023")]:
    cells.append(md(f"""### {title}

```{{nev-pledges}}
:source: {sid}
```"""))

cells.append(md("""## Policy events, 2017–2025

The events behind the chapters, on one time axis: rules issued and in force,
pilots launched, the end of the purchase subsidy, ownership caps removed,
standards published. The dashed lines mark the five statements. Hover over a
point, or open the data table, for each event and its source."""))

cells.append(code('''events = cite(nb.table("events")).explode("themes").rename(columns={"themes": "theme"})
events = events[events.theme.isin(themes.index) & (events.date >= "2017-01-01")]
events = events.sort_values("date").drop_duplicates("id")  # one row per event, under its first theme
events["group"] = events.theme.map(themes.title)
KIND = {"issued": "Rule or plan", "in-force": "Rule or plan", "announced": "Rule or plan",
        "standard": "Standard", "pilot": "Pilot or programme", "launched": "Pilot or programme",
        "ended": "Ended or other", "other": "Ended or other"}
events["kind_group"] = events.kind.map(KIND)
busiest = events.date.str[:4].value_counts()
charts.figure(
    charts.timeline(events, label="group", detail="title", color="kind_group", color_title="Kind",
                    marks=marks),
    id="policy-timeline",
    title=f"{busiest.idxmax()} was the busiest year for NEV policy events in this book",
    subtitle=f"{len(events)} policy events by theme, {events.date.min()[:4]}–{events.date.max()[:4]}; dashed lines: the five statements; dates",
    description=(f"Timeline of {len(events)} policy events from {events.date.min()} to {events.date.max()}, "
                 f"one row per theme, coloured by kind, with dashed lines at the five statements. "
                 f"{busiest.idxmax()} has the most events ({busiest.max()})."),
    takeaway=(f"Events cluster after the statements: {(events.date > sources.date.min()).sum()} of the {len(events)} "
              "events came after the first of them."),
    source="Sources: ministries' notices and their reprints, news reports. Citations in the data table.",
    # Titles, not descriptions: the chapters hold the detail, and the page stays light.
    data=events[["date", "group", "title", "kind", "citation_id", "publisher", "source_url"]],
)
''', "remove-input"))

cells.append(md("""## Notes

**Counting commitments.** A numbered priority counts once even when it bundles
several measures; a concrete promise outside the numbered lists counts on its
own. The pledge tables name the priority ("2 of 5") where the text numbers
it. Statements by the same ministry repeat some commitments, such as the
{term}`dual-credit policy` revision and the
{term}`power-battery recycling rules <(draft) Administrative Measures for Power Battery Recycling>`;
each statement's version is assessed separately, at its own date.

**Terms.** The glossary maps the translations' wording to standard terms.
Three statements name the {term}`Inter-Ministerial Joint Conference on the Energy-Saving and NEV Industry`
as the body that coordinates the work.

**Sources.** Each commitment's evidence is linked in its row, and each
event's source is in the timeline's data table; [the references](../book/references)
list every web source in one place. The five statements:

```{nev-citations}
```"""))

cells.append(code('''# Checks: the pledge table covers every numbered priority of the three
# statements built as five-point lists, and the data agree with the texts.
import re

ORDINAL = {"one": 1, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
for sid in ["ev100-2021", "scio-2022-02-28", "miit-qa-2023-02-06"]:
    paras = checks.paragraphs(sid)
    numbered = {ORDINAL[m.group(1).lower()] for p in paras
                for m in [re.match(r"^(?:The )?(One|First|Second|Third|Fourth|Fifth)\\b", p, re.I)] if m}
    assert numbered == {1, 2, 3, 4, 5}, (sid, numbered)
    covered = {int(m.group(1)) for p in pledges[pledges.source_id == sid].priority
               for m in [re.match(r"^(\\d) of 5$", p or "")] if m}
    assert covered == numbered, f"{sid}: priorities {sorted(numbered - covered)} have no pledge row"

# The texts announce five priorities where the data record five.
assert re.search(r"focusing on five aspects of work", checks.source_text("scio-2022-02-28"))
assert re.search(r"five aspects", checks.source_text("ev100-2021"))

# The pledge table covers at least 25 commitments, across all five texts.
assert len(pledges) >= 25, len(pledges)
assert set(pledges.source_id) == set(sources.id), set(sources.id) - set(pledges.source_id)

# Every pledge has a status and evidence, and cites it unless none was found.
assert pledges.status.isin(STATUS).all()
assert (pledges.evidence.str.len() > 20).all()
assert pledges[pledges.status != "no-evidence"].citation_ids.map(bool).all()

# Every event drawn has a citation; every grid cell is tied to its statement.
assert events.citation_id.notna().all() and grid.citation_id.notna().all()
''', "remove-cell"))

write(cells, "notebooks/synthesis.ipynb")
