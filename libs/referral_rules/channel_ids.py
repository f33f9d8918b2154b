"""The channel ids the planner names in plans. The directory refuses to load unless every one of them is listed."""
from libs.contracts.events import INSTITUTION_TYPES

NATIONALE_OMBUDSMAN = "nationale-ombudsman"
KIFID = "kifid"
AFM = "afm-meldpunt"
SKGZ = "skgz"
GESCHILLENINSTANTIE_ZORG = "geschilleninstantie-zorg"
KLACHTENLOKET_ZORG = "klachtenloket-zorg"
LANDELIJK_MELDPUNT_ZORG = "landelijk-meldpunt-zorg"
COLLEGE_RECHTEN_MENS = "college-rechten-mens"
DISCRIMINATIE_NL = "discriminatie-nl"
AUTORITEIT_PERSOONSGEGEVENS = "autoriteit-persoonsgegevens"
HUURCOMMISSIE = "huurcommissie"
POLITIE_KLACHTEN = "politie-klachten"
POLITIE_MELDING = "politie-melding"
MELD_MISDAAD_ANONIEM = "meld-misdaad-anoniem"
COMENSHA = "comensha"
ARBEIDSINSPECTIE = "arbeidsinspectie"
FAIRWORK = "fairwork"
JURIDISCH_LOKET = "juridisch-loket"
MELDPUNT_VERHUURDERSCHAP = "meldpunt-goed-verhuurderschap"  # the municipality's reporting point (Wgv, 2024)
KLACHTENCOMMISSIE_WONINGCORPORATIE = "klachtencommissie-woningcorporatie"  # Woningwet art. 55b
GGD = "internal:ggd"  # a GGD's own Awb chapter 9 procedure for conduct that is not care (no institution type yet)

# Trafficking / exploitation / violence: the only channels a signal plan may name (docs/privacy.md).
SIGNAL_CHANNELS = (POLITIE_MELDING, MELD_MISDAAD_ANONIEM, COMENSHA, ARBEIDSINSPECTIE)

INTERNAL_PREFIX = "internal:"

# The own procedures of government bodies (Awb chapter 9): written complaints need a name and address (Awb 9:4).
AWB_FIRST_LINE = ("internal:municipality", "internal:tax_authority", "internal:uwv", "internal:svb", "internal:kvk",
                  GGD)


def first_line_channel(institution_type: str) -> str:
    """The institution's own procedure: `internal:<type>`, except the police, whose procedure has its own entry."""
    if institution_type == "police":
        return POLITIE_KLACHTEN
    return f"{INTERNAL_PREFIX}{institution_type}"


REQUIRED = frozenset({
    NATIONALE_OMBUDSMAN, KIFID, AFM, SKGZ, GESCHILLENINSTANTIE_ZORG, KLACHTENLOKET_ZORG, LANDELIJK_MELDPUNT_ZORG,
    COLLEGE_RECHTEN_MENS, DISCRIMINATIE_NL, AUTORITEIT_PERSOONSGEGEVENS, HUURCOMMISSIE, POLITIE_KLACHTEN,
    POLITIE_MELDING, MELD_MISDAAD_ANONIEM, COMENSHA, ARBEIDSINSPECTIE, FAIRWORK, JURIDISCH_LOKET,
    MELDPUNT_VERHUURDERSCHAP, KLACHTENCOMMISSIE_WONINGCORPORATIE, GGD,
    *(first_line_channel(kind) for kind in INSTITUTION_TYPES),
})
