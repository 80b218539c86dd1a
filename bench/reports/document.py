"""Write the benchmark's figures into docs/performance.md (the block between its markers)."""

from __future__ import annotations

import json
import re
from typing import Any

from bench.reports.common import BUILD_RESULTS, N_SITES, RESULTS, ROLLUP_RESULTS, ROOT, YEAR


def write_doc() -> None:
    """Rewrite the reports block of docs/performance.md from the recorded results."""
    r = json.loads(RESULTS.read_text())
    b = json.loads(BUILD_RESULTS.read_text()) if BUILD_RESULTS.exists() else {}
    ru = json.loads(ROLLUP_RESULTS.read_text()) if ROLLUP_RESULTS.exists() else b
    c = r["counts"]

    def verdict(app: dict[str, float], paired: float) -> str:
        under = app["best"] < 1.0
        return (
            f"{app['best']:.2f} s, {'under' if under else 'OVER'} 1 s "
            f"({'met' if under else 'NOT met'}); {paired:.2f}× the SQL on the same tables "
            f"({'met' if paired <= 1.5 else 'NOT met'}, target ≤ 1.5×)"
        )

    def row(
        label: str,
        app: dict[str, float],
        roll: dict[str, float],
        paired: float,
        raw: dict[str, float],
    ) -> str:
        return (
            f"| {label} | {app['best']:.3f} / {app['median']:.3f} | {roll['best']:.3f} / "
            f"{roll['median']:.3f} | {paired:.2f}× | {raw['best']:.3f} | "
            f"{app['best'] / raw['best']:.2f}× | {app['peak_mib']:.1f} |"
        )

    def slowest(parts: dict[str, float], n: int = 6) -> str:
        top = sorted(parts.items(), key=lambda kv: -kv[1])[:n]
        return ", ".join(f"`{k}` {v:.3f} s" for k, v in top)

    build_line = (
        f"Build: {b.get('total_s', 0) / 60:.1f} min in all ({b.get('schema_and_demo_s', 0):.0f} s "
        f"migrate and demo, {b.get('sites_s', 0):.0f} s sites, {b.get('copy_s', 0):.0f} s generating "
        f"and COPY, {b.get('index_s', 0):.0f} s rebuilding {len(b.get('rebuilt_indexes', []))} "
        f"indexes, {b.get('analyze_s', 0):.0f} s VACUUM ANALYZE); database "
        f"{b.get('db_size_mb', 0) / 1024:.1f} GB."
        if b
        else "Build figures: not recorded in this run."
    )
    rows = ru.get("rollup_rows", {})
    rollup_line = (
        f"Roll-ups (`refresh_rollups --full`, every visit): {ru.get('rollups_s', 0):.0f} s, giving "
        f"{rows.get('reports_dailyvisits', 0):,} site-days, {rows.get('reports_yearpresence', 0):,} "
        f"person-site-years and {rows.get('reports_firstvisit', 0):,} first visits."
        if ru
        else ""
    )
    frameworks = _frameworks(r.get("frameworks"), b)
    generated = (
        f"Care and the rest (`bench/reports/extras.py`): {b['care_acts']:,} care acts and "
        f"{b['social_acts']:,} social acts (on the visits that came for them: 15 % and 6 %), "
        f"{b['distributions']:,} distributions of material with {b['distribution_lines']:,} lines "
        f"(30 % of visits; used syringes brought back on a third), {b['stays']:,} stays and "
        f"{b['bed_nights']:,} bed nights in the {b['beds']:,} beds of the network, "
        f"{b['rounds']:,} outreach rounds with {b['round_contacts']:,} contacts (the outreach "
        "teams' visits). Not generated: referrals, the person's situation and pathways, the "
        "room's refusals and waits, head counts (no gathering place in the demo), the "
        "neighbourhood's rounds and reports, drug checking (those indicators run on empty or "
        "demo-sized tables)."
        if "care_acts" in b
        else "Not generated: care acts, material, stays and outreach rounds (those indicators run "
        "on empty tables)."
    )
    block = f"""<!-- reports:start -->
## Reports at scale (annual HSA report, network year dashboard, the four frameworks)

Reproduce (PostgreSQL at 127.0.0.1:5432; builds the database `halte_scale`, several GB):

```sh
.venv/bin/python bench/reports/scale.py --build    # --visits 10000000 by default, roll-ups included
.venv/bin/python bench/reports/scale.py --rollups  # an older halte_scale: migrate, rebuild roll-ups
.venv/bin/python bench/reports/scale.py --time     # rewrites this block
.venv/bin/python bench/reports/scale.py --drop
```

Machine: {r["cpus"]} cores (AMD EPYC virtual machine, shared with other work during the run), Python
{r["python"]}, {r["pg"]} with its default settings (shared_buffers 128 MB, work_mem 4 MB), client
and server on the same machine. Measured {r["measured_at"]} (UTC).

Data: {c["network_site"]} sites in the registry, {c.get("sites_with_visits", N_SITES)} with activity (the demo's
operational sites with opening hours, cloned through `site_create` up to {N_SITES}; the others are
projects, closed, or have no hours), five calendar years
2021–2025: {c["clients_client"]:,} people, {c["visits_visit"]:,} visits (all closed, inserted in
time order across sites), {c["consumption_session"]:,} sessions (sites with booths, booths
simulated one after the other), {c["consumption_incident"]:,} incidents. {generated} In 2025: the HSA timed
(`{r["hsa_site"]}`) has {c["hsa_site_visits_2025"]:,} visits, the network
{c["network_visits_2025"]:,}. {build_line} {rollup_line}
Generator: `bench/reports/generate.py`, run by `scale.py --build` (not `manage.py generate_activity`, which inserts through the ORM).

How the reports read (halte/reports/rollups.py, docs/reports.md): people and visits come from
roll-ups (visits per site and day, and per site, day and combination of purposes; per site, person
and year the months of presence; per site and person the first visit; material per site, day and
item) plus the rows recorded since the roll-ups' last refresh, so the figures are exact whenever
`refresh_rollups` last ran (a test compares them with counts straight from the visits, before,
after and between refreshes). Sessions, bed nights and incidents are read from their tables
through covering indexes, each in one grouped query a report shares among its lines.

Seconds are wall clock, best and median of 15 runs after a warm-up, in one process. Two
hand-written baselines compute the same figures in one statement each (CTEs), through the same
Django connection: **on the same tables** the app reads (roll-ups + visits since, the like-for-like
comparison the target is judged on), and **on the visits** alone (what the reports read before the
roll-ups). Both compute visits, people, new people, sex and years of birth, days and the peak day,
sessions by route and product with their time in use, incidents and what was done; for the
dashboard also months, people per site, outreach contacts, bed nights and funding; the baseline on
the same tables also the HSA report's care acts, social acts, referrals, material, funding and
staff. Memory is the tracemalloc peak of the Python side during one more run.

| measure | app, best / median s | SQL on the same tables, best / median s | ratio (median of pairs) | SQL on the visits, best s | ratio (best) | app peak MiB |
|---|---|---|---|---|---|---|
{row(f"`hsa-annual` report, one site, {YEAR}", r["hsa_report"], r["hsa_sql_rollup"], r["hsa_paired"], r["hsa_sql"])}
{row(f"network year dashboard, {c['network_site']} sites, {YEAR}", r["network_board"], r["network_sql_rollup"], r["network_paired"], r["network_sql"])}

Targets (each under 1 s, and at most 1.5× the hand-written SQL): HSA report
{verdict(r["hsa_report"], r["hsa_paired"])}; network dashboard
{verdict(r["network_board"], r["network_paired"])}. A report takes a few tens of milliseconds and
this machine is shared, so the app and its baseline run alternately, 15 pairs after a warm-up, and
the ratio is the median of the pairs' ratios (both meet the same moments of the machine); earlier
runs that timed one after the other saw the HSA report's ratio anywhere from 1.3× to 2.1×. What is left is the Python side of a report built from
forty indicators defined once (about 25 ms of CPU for the HSA report: building 17 ORM statements,
the opening hours of the year, formatting), where each baseline is one statement.

Slowest parts, each indicator run once on its own (outside a report, so without the report's
shared reads): HSA report {slowest(r["hsa_indicators"])}; network dashboard
{slowest(r["network_parts"])}.

Before the roll-ups, on the same data: the HSA report took 0.33 s (2.3× the SQL on the visits) and
the network year dashboard 2.39 s (the SQL on the visits alone took 2.19 s on this machine); before
the covering indexes and grouped queries, 4.07 s and 11.79 s.

{frameworks}
<!-- reports:end -->"""
    path = ROOT / "docs" / "performance.md"
    text = path.read_text()
    if "<!-- reports:start -->" in text:
        text = re.sub(
            r"<!-- reports:start -->.*?<!-- reports:end -->", lambda _m: block, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
    print(block)


SCOPES = {"site": "one site", "authorisation": "one authorisation", "network": "the network"}


def _frameworks(f: dict[str, Any] | None, build: dict[str, Any]) -> str:
    """The section on the four frameworks as an evaluator gets them (issue 22)."""
    if not f:
        return "The four frameworks: not timed in this run (`scale.py --frameworks`)."
    rows, over = [], []
    for key, res in f["reports"].items():
        framework, scope = key.split("|")
        meta = f["scopes"][framework]
        who = {
            "site": f"`{meta['site']}` ({meta['site_kind']})",
            "authorisation": meta["authorisation"]["label"],
            "network": "network",
        }[scope]
        ok = res["median"] < 1.0
        if not ok:
            over.append(key)
        rows.append(
            f"| `{framework}` | {meta['period']} | {SCOPES[scope]}: {who} | {res['sites']} | "
            f"{res['best']:.3f} / {res['median']:.3f} | {res['xlsx_s']:.3f} | "
            f"{res['xlsx_bytes'] / 1024:.0f} | {res['peak_mib']:.1f} | "
            f"{'yes' if ok else '**no**'} |"
        )
    auth_note = (
        "An authorisation is a FINESS number's places (`halte.network.models.Authorisation`, through "
        "`report_scope(..., authorisation=FINESS)`): the one holding the framework's site with the "
        "most places, else the one with the most places. The bench's authorisations come from "
        "`generate.authorise`: a clone joins those of the site it copies; when the demo has none, "
        "one per operator and kind (CAARUD, CSAPA, HSA) over its places, with invented FINESS "
        "numbers (department 99)."
    )

    def slowest(key: str, n: int = 5) -> str:
        top = list(f["indicators"][key].items())[:n]
        return ", ".join(f"`{k}` {v:.3f} s" for k, v in top)

    parts = "\n".join(
        f"- `{key.split('|')[0]}`, {SCOPES[key.split('|')[1]]}: {slowest(key)}"
        for key in f["reports"]
        if key.endswith("|network") or key in over
    )
    recap = f.get("recap") or {}
    recap_line = (
        f"RECAP of the CSAPA `{recap['site']}` for {YEAR} ({recap['records']:,} people): the "
        f"per-person XLSX file as the coordination exports it (`recap_export`, audited) "
        f"{recap['file']['best']:.3f} / {recap['file']['median']:.3f} s (best / median), "
        f"{recap['bytes'] / 1024:.0f} KB, peak {recap['file']['peak_mib']:.1f} MiB; the masked "
        f"counts an evaluator sees (`recap_summary`) {recap['summary']['best']:.3f} / "
        f"{recap['summary']['median']:.3f} s."
        if "file" in recap
        else f"RECAP: not timed ({recap.get('skipped', 'not run')})."
    )
    verdict = (
        "Every framework for every scope is produced in under a second (median)."
        if not over
        else "Over a second (median): "
        + "; ".join(f"`{k.split('|')[0]}` for {SCOPES[k.split('|')[1]]}" for k in over)
        + "."
    )
    return f"""### The four frameworks as an evaluator gets them (issue 22)

Each measure is the whole of an evaluator's request: the scope checked for the demo's `evaluator`
user (`report_scope`, masked periods only), the report built masked (`build_report(...,
suppressed=True)`: small counts hidden, people rounded) and rendered to XLSX
(`exports.to_xlsx`); best and median of {f["runs"]} runs after a warm-up, in one process, and the
tracemalloc peak of one more. `monthly-scs` is for one month ({YEAR}-12), the others for {YEAR}.
The site is the framework's kind of site with the most visits. {auth_note}
Reproduce: `scale.py --time` (everything) or `scale.py --frameworks` (these only; rewrites this
block).

| framework | period | scope | sites | request, best / median s | of which XLSX, s | file KB | peak MiB | under 1 s |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{verdict} {recap_line}

Slowest indicators, each in a report block of its own (so without the report's shared reads):
{parts}"""
