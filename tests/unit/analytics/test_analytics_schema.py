"""The fact store cannot hold free text, references or exact times (RS-21)."""
from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, SmallInteger, String

from services.analytics.domain.codes import CODE_LENGTH
from services.analytics.domain.pseudonyms import PSEUDONYM_LENGTH
from sqlalchemy import Text

from services.analytics.tables import CODE_COLUMNS, FACT_STORE_TABLES, PUBLICATION_TABLES, metadata

# String columns that are not enums, each with the reason it cannot hold text
SHORT_CODES = {
    ("analytics_case_facts", "pseudonym"): PSEUDONYM_LENGTH,      # hex HMAC
    ("analytics_case_clocks", "pseudonym"): PSEUDONYM_LENGTH,
    ("analytics_plan_steps", "pseudonym"): PSEUDONYM_LENGTH,
    ("analytics_erased_cases", "pseudonym"): PSEUDONYM_LENGTH,
    ("analytics_partner_answers", "pseudonym"): PSEUDONYM_LENGTH,
    ("analytics_case_facts", "month"): 7,                         # YYYY-MM, CHECK constraint
    ("analytics_case_facts", "first_plan_month"): 7,
    ("analytics_case_facts", "quarter"): 7,                       # YYYY-Qn
    ("analytics_release_log", "period_from"): 7,
    ("analytics_release_log", "period_to"): 7,
    ("analytics_release_log", "sha256"): 64,
}
DATE_TABLES = {"analytics_case_clocks"}        # working dates for durations, purged by retention
DATETIME_TABLES = {"analytics_release_log"}    # when a release was published: no case data


def _columns():
    for table in FACT_STORE_TABLES:
        for column in table.columns:
            yield table, column


def test_all_tables_are_prefixed_and_accounted_for():
    assert all(table.name.startswith("analytics_") for table in metadata.sorted_tables)
    # anything else on this metadata is the adapter's message bookkeeping, which holds event ids only
    others = {table.name for table in metadata.sorted_tables} - {table.name for table in FACT_STORE_TABLES}
    publications = {table.name for table in PUBLICATION_TABLES}
    assert others - publications <= {"analytics_inbox", "analytics_outbox"}


def test_publication_tables_have_no_link_to_a_case_and_one_bounded_text_written_for_publication():
    """The signal report's release log, its released (already public) cells and the coordinators' observations:
    no pseudonym, no case date; the observation is the only text, bounded by a CHECK constraint."""
    texts = []
    for table in PUBLICATION_TABLES:
        assert "pseudonym" not in table.columns, table.name
        assert not any(isinstance(c.type, Date) and not isinstance(c.type, DateTime) for c in table.columns)
        texts += [(table.name, c.name) for c in table.columns if isinstance(c.type, Text)]
        for column in table.columns:
            if isinstance(column.type, String) and not isinstance(column.type, (Enum, Text)):
                assert column.type.length <= 64, (table.name, column.name)
    assert texts == [("analytics_signal_observations", "observation")]
    from services.analytics.domain.published_tables import block_keys
    from services.analytics.tables import CELL_KEY_LENGTH
    assert max(len(key) for key in block_keys()) <= CELL_KEY_LENGTH  # PostgreSQL refuses a longer value
    checks = {c.name for c in metadata.tables["analytics_signal_observations"].c.observation.constraints}
    assert "ck_analytics_observation_length" in checks


def test_every_string_column_is_a_closed_list_or_a_bounded_code():
    for table, column in _columns():
        where = (table.name, column.name)
        if isinstance(column.type, Enum):
            assert column.type.enums and all(len(value) <= 32 for value in column.type.enums), where
            assert not column.type.native_enum and column.type.create_constraint, where
        elif isinstance(column.type, String):
            if where in CODE_COLUMNS:
                assert column.type.length == CODE_LENGTH <= 48, where
            else:
                assert where in SHORT_CODES, f"{where} could hold free text"
                assert column.type.length == SHORT_CODES[where], where
        else:
            assert isinstance(column.type, (Boolean, Integer, SmallInteger, Date, DateTime)), where


def test_only_the_clock_table_has_dates_and_only_the_release_log_has_timestamps():
    for table, column in _columns():
        if isinstance(column.type, DateTime):
            assert table.name in DATETIME_TABLES, (table.name, column.name)
        elif isinstance(column.type, Date):
            assert table.name in DATE_TABLES, (table.name, column.name)


def test_the_clock_table_holds_no_categories():
    clocks = metadata.tables["analytics_case_clocks"]
    assert all(isinstance(c.type, Date) or c.name == "pseudonym" for c in clocks.columns)


def test_no_column_is_named_like_an_identifier_or_text():
    forbidden = {"ref", "reference", "receipt", "description", "text", "name", "municipality", "email", "phone",
                 "reason", "address", "contact", "id"}
    for table, column in _columns():
        if (table.name, column.name) == ("analytics_release_log", "id") or (table.name, column.name) in CODE_COLUMNS:
            continue  # the release's own row number; public directory codes (channel_id names a channel, not a person)
        assert not set(column.name.split("_")) & forbidden, (table.name, column.name)
