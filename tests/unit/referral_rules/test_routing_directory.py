"""The channel directory: complete, sourced, in line with the CBS list, and loud about broken data."""
import copy
import csv
import hashlib
import json
import shutil
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from libs.contracts.events import INSTITUTION_TYPES
from libs.reference import municipalities as reference
from libs.referral_rules import directory as directory_module
from libs.referral_rules.channel_ids import first_line_channel
from libs.referral_rules.directory import DirectoryError, build_directory, load_directory

DATA = directory_module.DATA_DIR
CBS_SHA256 = "72b8ecef072caaa9008c050ebb6ac9be447ff7eaaee5808afa32f2f18d72e2d8"  # docs/reference-data.md
LPP = {"GM0363": "ombudsman-metropool-amsterdam", "GM0202": "nationale-ombudsman", "GM0518": "ombudsman-den-haag",
       "GM0014": "ombudsman-groningen", "GM0796": "ombudscommissie-den-bosch", "GM0080": "nationale-ombudsman",
       "GM0268": "ombudsman-nijmegen", "GM0599": "ombudsman-rotterdam", "GM0855": "nationale-ombudsman",
       "GM0344": "ombudsman-utrecht"}
LPP_UNCONFIRMED = {"GM0202", "GM0080", "GM0855"}  # Arnhem, Leeuwarden, Tilburg: research note appendix B.1


@lru_cache(maxsize=1)
def _parsed_files():
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    channels = yaml.load((DATA / "channels.yaml").read_text(encoding="utf-8"), Loader=loader)
    municipalities = yaml.load((DATA / "municipalities.yaml").read_text(encoding="utf-8"), Loader=loader)
    rows = [dict(row) for row in reference.rows()]
    return channels, municipalities, rows


def raw_files():
    """A fresh copy of the shipped data, parsed once per test run."""
    return copy.deepcopy(_parsed_files())


def channel_raw(channels, channel_id):
    return next(entry for entry in channels["channels"] if entry["id"] == channel_id)


@pytest.fixture
def directory():
    return load_directory()


def test_packaged_cbs_csv_is_the_documented_copy():
    assert hashlib.sha256(reference.CSV_PATH.read_bytes()).hexdigest() == CBS_SHA256


def test_every_cbs_municipality_is_mapped_with_csv_name_and_province(directory):
    _channels, _municipalities, rows = raw_files()
    assert len(rows) == 342 == len(directory.municipalities)
    for row in rows:
        mapping = directory.municipalities[row["gm_code"]]
        assert (mapping.name, mapping.province) == (row["gm_naam"], row["provincie"])
        assert directory.province_of(row["gm_code"]) == row["provincie"]
        assert directory.channel(mapping.ombudsman).kind == "second_line"
        assert mapping.status in ("confirmed", "unconfirmed") and mapping.source


def test_lpp_municipalities_map_as_the_research_note_says(directory):
    for code, channel_id in LPP.items():
        mapping = directory.municipalities[code]
        assert mapping.ombudsman == channel_id, code
        assert mapping.confirmed is (code not in LPP_UNCONFIRMED), code


def test_every_fact_of_every_channel_has_a_source_and_a_verification_date(directory):
    for channel in directory.channels.values():
        facts = [channel.handles, channel.accepts_anonymous, channel.cost, channel.binding,
                 *channel.contact.values(), *(deadline.fact for deadline in channel.deadlines)]
        for fact in facts:
            assert fact.source.strip(), channel.id
            assert isinstance(fact.verified_on, date), channel.id


def test_every_institution_type_has_its_own_procedure(directory):
    for institution_type in INSTITUTION_TYPES:
        assert directory.channel(first_line_channel(institution_type)).kind == "first_line"


def test_facts_the_research_note_marks_unconfirmed_stay_unconfirmed(directory):
    assert not directory.channel("politie-klachten").deadline("answer").fact.confirmed
    assert not directory.channel("skgz").cost.confirmed
    assert not directory.channel("geschilleninstantie-zorg").deadline("after_first_complaint").fact.confirmed
    assert not directory.channel("juridisch-loket").handles.confirmed
    assert directory.channel("autoriteit-persoonsgegevens").accepts_anonymous.value is False
    assert directory.channel("autoriteit-persoonsgegevens").accepts_anonymous.confirmed


def test_deadline_periods_match_the_law(directory):
    assert str(directory.channel("internal:municipality").deadline("answer").period) == "P6W"
    assert str(directory.channel("internal:municipality").deadline("extension").period) == "P4W"
    assert str(directory.channel("internal:municipality").deadline("answer_with_committee").period) == "P10W"
    assert str(directory.channel("nationale-ombudsman").deadline("request_window").period) == "P1Y"
    assert str(directory.channel("kifid").deadline("after_final_answer").period) == "P3M"
    assert str(directory.channel("internal:bank").deadline("answer").period) == "P8W"


def test_public_channels_are_json_and_keep_staff_notes_inside(directory):
    public = directory.public_channels()
    text = json.dumps(public)
    assert public["version"] == directory.version
    assert len(public["channels"]) == len(directory.channels)
    assert "staff_notes" not in text and "bezwaar within 6 weeks" not in text


def test_load_directory_is_cached():
    assert load_directory() is load_directory()


# ---- broken data must fail loudly, naming what is wrong ------------------------------------------------------

def broken(mutate):
    channels, municipalities, rows = raw_files()
    mutate(channels, municipalities, rows)
    with pytest.raises(DirectoryError) as error:
        build_directory(channels, municipalities, rows)
    return str(error.value)


def test_the_untouched_files_build():
    build_directory(*raw_files())


def test_fact_without_source_is_refused():
    message = broken(lambda c, m, r: channel_raw(c, "kifid")["cost"].pop("source"))
    assert "channels.yaml" in message and "source" in message


def test_unknown_fact_status_is_refused():
    message = broken(lambda c, m, r: channel_raw(c, "kifid")["cost"].update(status="probably"))
    assert "status" in message


def test_bad_deadline_period_is_refused():
    message = broken(lambda c, m, r: channel_raw(c, "kifid")["deadlines"][0].update(period="8 weeks"))
    assert "8 weeks" in message


def test_duplicate_channel_is_refused():
    message = broken(lambda c, m, r: c["channels"].append(copy.deepcopy(channel_raw(c, "kifid"))))
    assert "duplicate channel id 'kifid'" in message


def test_missing_required_channel_is_refused():
    message = broken(lambda c, m, r: c["channels"].remove(channel_raw(c, "comensha")))
    assert "comensha" in message


def test_unmapped_municipality_is_refused():
    message = broken(lambda c, m, r: m["municipalities"].pop("GM0363"))
    assert "GM0363" in message and "not mapped" in message


def test_municipality_pointing_to_unknown_channel_is_refused():
    message = broken(lambda c, m, r: m["municipalities"]["GM0363"].update(ombudsman="ombudsman-atlantis"))
    assert "GM0363" in message and "ombudsman-atlantis" in message


def test_municipality_pointing_to_a_first_line_channel_is_refused():
    message = broken(lambda c, m, r: m["municipalities"]["GM0363"].update(ombudsman="internal:municipality"))
    assert "not a second-line channel" in message


def test_municipality_name_disagreeing_with_cbs_is_refused():
    message = broken(lambda c, m, r: m["municipalities"]["GM0518"].update(name="Den Haag"))
    assert "GM0518" in message and "'s-Gravenhage" in message


def test_cbs_list_with_a_missing_row_is_refused():
    message = broken(lambda c, m, r: r.pop())
    assert "expected 342" in message


def test_broken_yaml_file_is_reported_with_its_name(tmp_path):
    for name in ("channels.yaml", "municipalities.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "channels.yaml").write_text("channels: [unclosed", encoding="utf-8")
    with pytest.raises(DirectoryError, match="channels.yaml"):
        load_directory(Path(tmp_path))
