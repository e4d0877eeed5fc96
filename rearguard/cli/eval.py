"""``rearguard eval``: scores on the evaluation corpora."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from . import cli, settings_from

GEOCODE_CORPORA = ("trnews", "gwn", "geovirus", "lgl")


@cli.group("eval")
def eval_group() -> None:
    """Score rearguard on evaluation corpora (development halves in ../shared/eval)."""


def _echo_scores(results: dict[str, Any], as_json: bool,
                 table: Callable[[dict[str, Any]], str],
                 misses: Callable[[dict[str, Any]], str] | None) -> None:
    """Print an evaluation's results: all of them as JSON, else its table and, when asked,
    its misses."""
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    click.echo(table(results))
    if misses is not None:
        click.echo("\n" + misses(results))


@eval_group.command("geocode")
@click.argument("corpora", nargs=-1)
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding geoparsing-news/ and ucdp-ged-syria/ "
                   "(default: ../shared/eval).")
@click.option("--gold-spans-only", is_flag=True, help="Skip the end-to-end news run.")
@click.option("--no-ucdp", is_flag=True, help="Skip the UCDP GED Syria names and headlines.")
@click.option("--no-headlines", is_flag=True,
              help="Skip the UCDP headlines (the slowest part, about a minute).")
@click.option("--limit", type=int,
              help="Only the first N articles of each corpus, UCDP names and headlines.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_geocode(ctx: click.Context, corpora: tuple[str, ...], data_dir: str | None,
                 gold_spans_only: bool, no_ucdp: bool, no_headlines: bool, limit: int | None,
                 as_json: bool) -> None:
    """Geocoding scores on the news corpora and UCDP GED Syria, and a reliability table.

    News (CORPORA: any of trnews, gwn, geovirus, lgl; default all four): Acc@161, Acc@25,
    mean/median km and AUC from gold spans; span P/R/F1 end to end, exact and by overlap,
    with Acc@161 of the found toponyms. UCDP: village and town names (where_prec 1) in
    "{name}, Syria", Acc@25/Acc@161; headlines (where_prec 1-2) end to end, a found place
    within 25 km. Reliability: confidence bins against the share within 161 km."""
    from ..eval.geocode import evaluate_geocode, format_reliability, format_table

    settings = settings_from(ctx)
    news = evaluate_geocode(
        list(corpora or GEOCODE_CORPORA), data_dir=data_dir, settings=settings,
        end_to_end=not gold_spans_only, limit=limit,
    )
    ucdp = None
    if not no_ucdp:
        from ..eval.ucdp import evaluate_ucdp

        ucdp = evaluate_ucdp(data_dir=data_dir, settings=settings, limit=limit,
                             headlines=not no_headlines)
    reliability = {"news": news["all"]["reliability"]}
    if ucdp is not None:
        reliability["ucdp names"] = ucdp["names"]["reliability"]
    if as_json:
        click.echo(json.dumps({"news": news, "ucdp": ucdp, "reliability": reliability},
                              indent=2))
        return
    from ..eval.ucdp import format_table as format_ucdp

    parts = [format_table(news)]
    if ucdp is not None:
        parts.append(format_ucdp(ucdp))
    parts.append("Confidence reliability (gold spans; resolved places; Acc@161 = share "
                 "within 161 km of gold):\n" + format_reliability(reliability))
    click.echo("\n\n".join(parts))


@eval_group.command("events")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding muc4/ (default: ../shared/eval).")
@click.option("--limit", type=int, help="Only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_events(ctx: click.Context, data_dir: str | None, limit: int | None,
                as_json: bool) -> None:
    """Event extraction on MUC-4 dev (TST1+TST2, 200 documents).

    Role-filler P/R/F1 (PerpInd, PerpOrg, Target, Victim, Weapon; GRIT/GTT matching),
    incident type P/R/F1, and date, place and deaths accuracy against the full keys."""
    from ..eval.muc import evaluate_events, format_table

    results = evaluate_events(data_dir=data_dir, settings=settings_from(ctx), limit=limit)
    click.echo(json.dumps(results, indent=2) if as_json else format_table(results))


@eval_group.command("location")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding event-location/ (default: ../shared/eval).")
@click.option("--limit", type=int, help="Only the first N sentences.")
@click.option("--train", "train", is_flag=True,
              help="Score on labeled_text.jsonl.zip (single-annotator) instead of gold_dev.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_location(ctx: click.Context, data_dir: str | None, limit: int | None, train: bool,
                  as_json: bool) -> None:
    """Which toponyms are the event's place: token P/R/F1 and exact-set accuracy.

    Scores rearguard's rules and two baselines (every toponym, the nearest toponym) on
    Halterman's event-location sentences (gold_dev.jsonl)."""
    from ..eval.location import evaluate_location, format_table

    results = evaluate_location(
        data_dir=data_dir, settings=settings_from(ctx), split="train" if train else "dev",
        limit=limit,
    )
    click.echo(json.dumps(results, indent=2) if as_json else format_table(results))


@eval_group.command("classify")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding case2021-task2/ (default: ../shared/eval).")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True,
              help="Cross-validation folds (stratified, fixed seed).")
@click.option("--end-to-end", "end_to_end", is_flag=True,
              help="Instead: the whole extractor on each snippet (a one-paragraph article "
                   "dated 2020-06-15): snippets with an event, of the gold type, of the "
                   "gold sub-event type, per event type.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_classify(ctx: click.Context, data_dir: str | None, folds: int, end_to_end: bool,
                  as_json: bool) -> None:
    """Weighted/micro/macro F1 of the event classifier on CASE 2021 Task 2 (subtask 1).

    Cross-validated (train on K-1 folds plus the project examples), the shipped model on
    the rows it was trained on (optimistic), and the rules-only baseline. With
    --end-to-end, the extractor's recall on these real news paragraphs instead."""
    from ..eval.classify import (
        evaluate_classify,
        evaluate_end_to_end,
        format_end_to_end,
        format_table,
    )

    if end_to_end:
        found = evaluate_end_to_end(data_dir=data_dir, settings=settings_from(ctx))
        click.echo(json.dumps(found, indent=2) if as_json else format_end_to_end(found))
        return
    results = evaluate_classify(data_dir=data_dir, folds=folds)
    click.echo(json.dumps(results, indent=2) if as_json else format_table(results))


@eval_group.command("control")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding expected.json and the golden reports (default: "
                   "examples/golden).")
@click.option("--report", "only", multiple=True,
              help="Only this golden report (repeatable), e.g. --report seed-shirqat.")
@click.option("--details", is_flag=True,
              help="Also list each report's expected and found records and flags.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_control(ctx: click.Context, data_dir: str | None, only: tuple[str, ...],
                 details: bool, as_json: bool) -> None:
    """Territorial control records and rear-area flags on the golden reports.

    Per report: control records found against expected (place within 25 km, holder,
    kind, date at the stated precision), precision and recall; rear-area flags of the
    events found against expected. A total line follows."""
    from ..eval.control import evaluate_control, format_table

    results = evaluate_control(data_dir=data_dir, settings=settings_from(ctx), only=only)
    click.echo(json.dumps(results, indent=2, ensure_ascii=False) if as_json
               else format_table(results, details=details))


@eval_group.command("articles")
@click.option("--gold", "gold", type=click.Path(),
              help="Gold JSON Lines file or folder (default: eval/realnews of the checkout).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding geoparsing-news/, wikievents/ and muc4/ (default: "
                   "../shared/eval).")
@click.option("--corpus", "corpora", multiple=True,
              help="Only this corpus (repeatable): trnews, gwn, lgl, wikievents or muc4.")
@click.option("--limit", type=int, help="Only the first N gold articles of each corpus.")
@click.option("--misses", is_flag=True,
              help="Also list the misses: missed incidents, false events by kind, field "
                   "errors with gold and predicted values.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores (and misses) as JSON.")
@click.pass_context
def eval_articles(ctx: click.Context, gold: str | None, data_dir: str | None,
                  corpora: tuple[str, ...], limit: int | None, misses: bool,
                  as_json: bool) -> None:
    """Events from real news (TR-News, GWN, LGL, WikiEvents, MUC-4) against hand-coded gold.

    Predicted and gold events of an article are paired one to one (eligible: the
    predicted event's sentence overlaps the gold evidence's sentence, or its place is
    within 25 km and its date within 2 days; preferred: overlap, then type, then
    distance). Incident recall = matched gold / gold events; event precision = matched /
    predicted events (every event in a background or none article is false). Over matched
    pairs: event type, sub-event type, date at the gold precision (day exact, week 7
    days, month), place within 25 km and 161 km, actor1 and actor2 (core name, and
    strict), fatalities (exact). Also the share of background/none articles with no
    event. Definitions: docs/evaluation.md."""
    from ..eval.articles import evaluate_articles, format_misses, format_table

    results = evaluate_articles(gold=gold, data_dir=data_dir, corpora=corpora, limit=limit,
                                settings=settings_from(ctx))
    _echo_scores(results, as_json, format_table, format_misses if misses else None)


@eval_group.command("wikievents")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding wikievents/ (default: ../shared/eval).")
@click.option("--limit", type=int, help="Only the first N documents.")
@click.option("--misses", is_flag=True, help="Also list the misses of each document.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores (and misses) as JSON.")
@click.pass_context
def eval_wikievents(ctx: click.Context, data_dir: str | None, limit: int | None,
                    misses: bool, as_json: bool) -> None:
    """Document-level scores on WikiEvents dev (20 real news articles, KAIROS events).

    Violent events are Battles, Explosions/Remote violence, Violence against civilians
    and Riots. Attack-document recall: of the documents with a gold Conflict.Attack
    mention, the share with at least one violent event. Event precision: of the violent
    events, the share whose sentence holds a gold Conflict.Attack, Life.Die or
    Life.Injure trigger (its gold mentions). Place: of the violent events whose gold
    mentions have a Place, the share whose location matches it or a coreferent mention
    by name or within 25 km (the gold place geocoded in its text). Attacker: of those
    whose gold mentions have an Attacker (Killer, Injurer), the share whose actor1
    matches it or a coreferent mention (names, or rearguard's alias table). Dates are not
    scored. Definitions: docs/evaluation.md."""
    from ..eval.wikievents import evaluate_wikievents, format_misses, format_table

    results = evaluate_wikievents(data_dir=data_dir, limit=limit, settings=settings_from(ctx))
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    click.echo(format_table(results))
    if misses:
        click.echo("\n" + format_misses(results))


@eval_group.command("ucdp-events")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Folder holding ucdp-ged-syria/ (default: ../shared/eval).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N reports.")
@click.option("--sample", type=click.IntRange(min=1),
              help="A seeded random sample of N reports (then --limit applies).")
@click.option("--seed", type=int, default=2019, show_default=True,
              help="The seed of --sample.")
@click.option("--misses", type=click.IntRange(min=0), default=None, metavar="K",
              help="Also list K example misses of each cause (no event; event far from "
                   "the point).")
@click.option("--part", type=click.Choice(["tune", "check"]),
              help="Only one half of the reports, split by the headline's SHA-1: tune on "
                   "'tune', keep 'check' unread.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores (and misses) as JSON.")
@click.pass_context
def eval_ucdp_events(ctx: click.Context, data_dir: str | None, limit: int | None,
                     sample: int | None, seed: int, misses: int | None, part: str | None,
                     as_json: bool) -> None:
    """The whole extractor on UCDP GED Syria's real headlines (development half).

    Each report (a headline with its own source date and publisher; rows joining several
    with ";" are split) is one article dated its source date. Over reports: the share
    with any event; with an event within 25 km (161 km) of the point of a row citing it
    (where_prec 1-2); dated in a row's [date_start - 1, date_end + 1]; whose actors map
    to the row's side_a and side_b (UCDP sides to ACLED actors, rearguard/eval/
    ucdp_events.py); whose event type agrees with type_of_violence (one-sided: Violence
    against civilians; else Battles or Explosions/Remote violence). Misses are counted
    by cause. Definitions: docs/evaluation.md."""
    from ..eval.ucdp_events import evaluate_ucdp_events, format_misses, format_table

    results = evaluate_ucdp_events(data_dir=data_dir, settings=settings_from(ctx),
                                   limit=limit, sample=sample, seed=seed,
                                   examples=misses or 0, part=part)
    _echo_scores(results, as_json, format_table, format_misses if misses else None)
