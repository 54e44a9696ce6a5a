"""Writes notebooks/overview.ipynb (kept as a script so the cells are reviewable)."""
from nbgen import code, md, write

cells = [md("""# The market, the fleet and charging

The policies in this book act on a market that grew from almost nothing. In
{glue:text}`first_year` China's carmakers sold {glue:text}`sales_first`
thousand new energy vehicles (NEVs); in {glue:text}`last_year` they sold
{glue:text}`sales_last` million, {glue:text}`share_last` per cent of all new
vehicles. At the end of {glue:text}`fleet_year`, {glue:text}`fleet_last`
million NEVs were registered, and {glue:text}`chargers_last` million
charging points served them, about {glue:text}`per_charger` vehicles per point. This
chapter sets out those numbers, the figures officials quoted for them, and
the two programmes that carried NEVs beyond private buyers in big cities:
electrifying public-sector fleets and the NEVs-to-the-countryside campaigns.""")]

cells.append(code('''import pandas as pd

import nevbook as nb
from nevbook import charts, checks
from nevbook.data import cite

market = nb.series("market-nev-production", "market-nev-sales")
share = nb.series("market-nev-share")
wide = market.pivot(index="period", columns="series_id", values="value")
sales = wide["market-nev-sales"]
shr = share.set_index("period")["value"]
fleet = nb.series("fleet-nev-stock")
chargers = nb.series("charging-points-total")
fv = fleet.set_index("period")["value"]
cv = chargers.set_index("period")["value"]
both = sorted(set(fv.index) & set(cv.index))
ratio = pd.Series({y: fv[y] / cv[y] for y in both})
exports = nb.series("market-nev-exports").set_index("period")["value"]
swaps = pd.concat([
    nb.series("charging-swap-stations").assign(date=lambda d: d.period + "-12-31", kind="Year-end"),
    nb.series("charging-swap-stations-monthly").assign(
        date=lambda d: (pd.to_datetime(d.period) + pd.offsets.MonthEnd(0)).dt.strftime("%Y-%m-%d"), kind="Month-end"),
], ignore_index=True)
swaps["series"] = swaps.kind + " count"

nb.glue_text("first_year", sales.index[0])
nb.glue_number("sales_first", sales.iloc[0] * 1000, ",.1f")
nb.glue_text("last_year", sales.index[-1])
nb.glue_number("sales_last", sales.iloc[-1], ".1f")
nb.glue_number("share_last", shr.iloc[-1], ".1f")
nb.glue_text("fleet_year", fv.index[-1])
nb.glue_number("fleet_last", fv.iloc[-1], ".1f")
nb.glue_number("chargers_last", cv[fv.index[-1]] if fv.index[-1] in cv else float("nan"), ".1f")
nb.glue_number("per_charger", ratio[both[-1]], ".1f")
nb.glue_number("per_charger_first", ratio[both[0]], ".1f")
nb.glue_text("ratio_first_year", both[0])
nb.glue_text("exports_year", exports.index[-1])
nb.glue_number("exports_last", exports.iloc[-1], ".2f")
nb.glue_number("exports_share", exports.iloc[-1] / wide.loc[exports.index[-1], "market-nev-production"] * 100, ".0f")
falls = list(sales[sales.diff() < 0].index)
nb.glue_text("million_year", sales[sales > 1].index[0])
nb.glue_text("fall_years", charts.and_join(falls))
swap_said = checks.figures("miit-2022-09-06", r"while (\d+) replacement power stations")[0]
cum_2021 = sales.loc[:"2021"].sum()
ytd = checks.value(nb.series("market-nev-sales-ytd"), "market-nev-sales-ytd", "2022-07")
nb.glue_number("cum_2021", cum_2021, ".2f")
nb.glue_number("cum_jul22", cum_2021 + ytd, ".2f")
''', "remove-cell"))

cells.append(md("""## What officials said

The statements cite the market's growth as proof that the policy worked. In
February 2022 the news agency's report of the State Council Information
Office press conference gave the previous year's output:

```{nev-quote} scio22-output-2021
```

In September 2022 the ministry's press conference looked back a decade:

```{nev-quote} ov-miit22-promoted
```

NEVs "promoted" are NEVs sold since 2012, not vehicles on the road. The same
report set charging against them:

```{nev-quote} ov-miit22-baseline
```

Charging was a standing promise. In February 2022, Vice Minister Xin Guobin
addressed complaints about it directly:

```{nev-quote} ov-scio22-charging
```

A year earlier the minister had bundled public fleets, rural buyers and
charging into one priority:

```{nev-quote} ov-ev100-21-promotion
```

## What the data show

### Sales grew a thousandfold

Production and sales follow the China Association of Automobile
Manufacturers (CAAM), which counts wholesale shipments of all vehicle types,
exports included. Sales first passed one million in {glue:text}`million_year`
and fell only in {glue:text}`fall_years`, as purchase subsidies were cut;
they grew every year after that."""))

cells.append(code('''charts.figure(
    charts.lines(market, y_title="Million vehicles", fmt=",.3f"),
    id="nev-market",
    title=f"NEV sales grew from {sales.iloc[0] * 1000:.0f} thousand in {sales.index[0]} to {sales.iloc[-1]:.1f} million in {sales.index[-1]}",
    subtitle=f"NEV production and sales, {sales.index[0]}–{sales.index[-1]}; million vehicles; all vehicle types, exports included",
    description=(f"Line chart of NEV production and sales in China from {sales.index[0]} to {sales.index[-1]}. "
                 f"Sales rise from {sales.iloc[0] * 1000:.1f} thousand to {sales.iloc[-1]:.2f} million; "
                 f"they first exceed one million in {sales[sales > 1].index[0]}."),
    takeaway=(f"Sales fell only in {charts.and_join(falls)}; they grew in every year after {falls[-1]}."),
    data=market,
)
''', "remove-input"))

cells.append(md("""The share of NEVs in new-vehicle sales, on the same all-vehicle basis,
passed one in ten in 2021 and approached one in two by 2025. Shares for
passenger cars alone are higher and are not mixed in here."""))

cells.append(code('''charts.figure(
    charts.lines(share, y_title="Per cent", fmt=".1f"),
    id="nev-share",
    title=f"NEVs were {shr.iloc[-1]:.0f}% of new vehicles sold in {shr.index[-1]}, up from {shr.iloc[0]:.1f}% in {shr.index[0]}",
    subtitle=f"NEV share of new-vehicle sales, {shr.index[0]}–{shr.index[-1]}; per cent; all vehicle types",
    description=(f"Line chart of the NEV share of new-vehicle sales from {shr.index[0]} ({shr.iloc[0]:.1f} per cent) "
                 f"to {shr.index[-1]} ({shr.iloc[-1]:.1f} per cent). Years without a CAAM share are left out."),
    takeaway=(f"The share first passed 10% in {shr[shr > 10].index[0]} and 40% in {shr[shr > 40].index[0]}; "
              f"years missing from the line ({charts.and_join(sorted(set(sales.index) - set(shr.index)))}) have no cited share."),
    data=share,
)
''', "remove-input"))

cells.append(md("""### Charging kept pace with the fleet

The fleet counts NEVs registered with the Ministry of Public Security (MPS);
charging points count every charger, public and private, from the China
Charging Alliance (EVCIPA) or, where noted, the ministries. Charging points
grew at least as fast as the fleet: {glue:text}`per_charger_first` NEVs per
charging point at the end of {glue:text}`ratio_first_year` (a rough early
count), {glue:text}`per_charger` at the end of {glue:text}`fleet_year`. Most
points are private, installed where owners park, so the ratio says little
about queues at public chargers, the complaint officials addressed. {term}`Battery-swap stations <battery-swap stations>`
are a separate count of sites where a depleted pack is exchanged for a
charged one."""))

cells.append(code('''fc = pd.concat([fleet, chargers], ignore_index=True)
fc = fc[fc.period.isin(both)].copy()
# Short legend labels (they must fit a phone); the CSV keeps each series id.
fc["series"] = fc.series_id.map({"fleet-nev-stock": "Registered NEVs",
                                 "charging-points-total": "Charging points"})
charts.figure(
    # Years on a true scale: the years with no count show as gaps, not as one step.
    charts.lines(fc, y_title="Million", fmt=",.2f", year_axis=True),
    id="fleet-and-chargers",
    title=f"Charging kept pace: {ratio[both[-1]]:.1f} NEVs per charging point in {both[-1]}, down from {ratio[both[0]]:.1f} in {both[0]}",
    subtitle=f"Registered NEVs (million vehicles) and charging points (million units), year-end, {both[0]}–{both[-1]}",
    description=(f"Line chart of the registered NEV fleet and the number of charging points at year-end, "
                 f"{both[0]} to {both[-1]}, in millions. The fleet rises from {fv[both[0]]:.2f} to {fv[both[-1]]:.2f} million; "
                 f"charging points from {cv[both[0]]:.2f} to {cv[both[-1]]:.2f} million."),
    takeaway=(f"NEVs per charging point: " + ", ".join(f"{y} {ratio[y]:.1f}" for y in both) + "."),
    data=fc,
)
''', "remove-input"))

cells.append(code('''charts.figure(
    charts.points(swaps, y_title="Stations", fmt=",.0f", connect=False,
                  marks=charts.statement_marks(["miit-2022-09-06"])),
    id="swap-stations",
    title=f"Battery-swap stations grew from {swaps.value.min():,.0f} to {swaps.value.max():,.0f}",
    subtitle=f"Battery-swap stations, {swaps.date.min()[:4]}–{swaps.date.max()[:4]}; stations; year-end and month-end counts",
    description=(f"Dot chart of battery-swap station counts from {swaps.date.min()} to {swaps.date.max()}: "
                 + "; ".join(f"{r.date} {r.value:,.0f}" for r in swaps.sort_values("date").itertuples())
                 + ". A dashed line marks the ministry press conference of September 2022."),
    takeaway=(f"The {swap_said:,.0f} stations quoted in September 2022 sit between the counts for "
              "end-June and end-December 2022."),
    data=swaps,
)
''', "remove-input"))

cells.append(md("""### Exports

In {glue:text}`exports_year`, {glue:text}`exports_last` million NEVs were
exported, about {glue:text}`exports_share` per cent of NEV production; the
[opening-up chapter](opening_up) follows exports and foreign investment.

### Public fleets and the countryside

Four of the five statements promise to carry NEVs to buyers that the early
market missed. The {term}`public-sector vehicle electrification` pilot was
announced in February 2022 and launched a year later; it named its first
cities in November 2023. The {term}`NEVs-to-the-countryside campaign` ran
every year from 2020. The timeline sets both, and the charging measures,
against the statements."""))

cells.append(code('''prog = cite(nb.table("events"))
prog = prog[prog.themes.map(lambda t: bool({"public-sector", "charging"} & set(t)))].reset_index(drop=True)
prog["programme"] = prog.themes.map(lambda t: "Public sector and countryside" if "public-sector" in t else "Charging")
sources = nb.table("sources")
mentions = sources[sources.id.isin(nb.table("quotes").pipe(lambda q: q[q.themes.map(lambda t: "public-sector" in t)]).source_id)]
countryside = prog[prog.id.str.startswith("ov-countryside")]
charts.figure(
    charts.timeline(prog, color="programme", color_title="Programme",
                    marks=charts.statement_marks(mentions.id)),
    id="programme-timeline",
    title=f"The countryside campaign ran {len(countryside)} years in a row; the public-sector pilot took a year to start",
    subtitle=f"Public-sector, countryside and charging events, {prog.date.min()[:4]}–{prog.date.max()[:4]}; dates; dashed lines: statements that promise them",
    description=(f"Timeline of {len(prog)} events from {prog.date.min()} to {prog.date.max()}: "
                 f"{len(countryside)} NEVs-to-the-countryside campaigns, the public-sector pilot and charging measures, "
                 f"with dashed lines at the {len(mentions)} statements that promise them."),
    takeaway=(f"Campaigns launched in {charts.and_join(countryside.date.str[:4])}; the pilot notice came "
              f"{prog.set_index('id').loc['ov-public-pilot-notice', 'date']} and its first cities on "
              f"{prog.set_index('id').loc['ov-public-pilot-first-batch', 'date']}."),
    source="Sources: ministries' notices and news reports. Citations in the data table.",
    data=prog[["date", "title", "programme", "description", "citation_id", "publisher",
               "source_title", "source_url", "source_published"]],
)
''', "remove-input"))

cells.append(md("""## What happened next

The charging promises were kept in the narrow sense that construction
accelerated; "difficulty charging" in old residential compounds is harder to
measure, and no official series tracks it.

```{nev-pledges}
:theme: charging
```

```{nev-pledges}
:theme: public-sector
```

## Notes

**Definitions.** Officials' "promoted" NEVs (推广) are cumulative sales, not
registered vehicles: sales from 2012 to 2021 add up to
{glue:text}`cum_2021` million, and with January–July 2022 to
{glue:text}`cum_jul22` million, against the 12.27 million quoted in
September 2022 (the small gap is 2011's sales, which the data here do not
hold). The registered fleet is smaller, because vehicles are exported,
scrapped or never registered. "Charging facilities", "charging
infrastructure" and "charging piles" in the translations all count
individual chargers (points), not stations. The 18,000 charging facilities
quoted for the end of 2012 could not be matched to any cited count; the
earliest in the data is for 2014. Terms: {term}`charging and battery-swap infrastructure; battery-swap model`.

**Data.** Production, sales and shares are CAAM's, read from news reports
and reprints (flagged as secondary), except the 2020 share, which is MIIT's.
The registered fleet is the Ministry of Public Security's. Charging totals
are EVCIPA's where it published one, and the ministries' for 2014, 2015,
2022 and 2025 (see the notes in the data). Month-end counts are kept in
their own series so that periods are not mixed.

**Sources.**

```{nev-citations}
:theme: overview
:series: charging-points-total charging-swap-stations charging-swap-stations-monthly market-nev-exports
```"""))

cells.append(code('''# Checks: the data agree with the figures the officials quoted.
said = checks.figures("scio-2022-02-28", r"reaching ([\\d.]+) million and ([\\d.]+) million")
assert said == [wide.loc["2021", "market-nev-production"], wide.loc["2021", "market-nev-sales"]], said

# "from 20000 at the end of 2012 to 12.27 million": cumulative sales (promoted), not the fleet.
start, now = checks.figures("miit-2022-09-06", r"from (\\d+) at the end of 2012 to ([\\d.]+) million")
assert sales["2012"] * 1e6 < start < (sales["2012"] + sales["2013"]) * 1e6, (start, sales["2012"])
assert abs((cum_2021 + ytd) - now) / now < 0.005, (cum_2021 + ytd, now)

# "from 18000 at the end of 2012 to 3.98 million at the end of July": the July figure matches EVCIPA.
_, july = checks.figures("miit-2022-09-06", r"from (\\d+) at the end of 2012 to ([\\d.]+) million at the end of July")
monthly = nb.series("charging-points-total-monthly")
assert checks.value(monthly, "charging-points-total-monthly", "2022-07") == july
# The prose says no cited count exists for 2012: keep it true.
assert "2012" not in cv.index

# "1625 replacement power stations": between the end-June and end-December 2022 counts.
stations = checks.figures("miit-2022-09-06", r"while (\\d+) replacement power stations")[0]
june = checks.value(nb.series("charging-swap-stations-monthly"), "charging-swap-stations-monthly", "2022-06")
dec = checks.value(nb.series("charging-swap-stations"), "charging-swap-stations", "2022")
assert june < stations < dec, (june, stations, dec)

# The prose's "charging points grew at least as fast as the fleet" holds.
assert ratio.iloc[-1] <= ratio.iloc[0], ratio

# Every number drawn has a citation.
for frame in (market, share, fc, swaps, prog):
    assert frame["citation_id"].notna().all() and (frame["citation_id"] != "").all()
''', "remove-cell"))

write(cells, "notebooks/overview.ipynb")
