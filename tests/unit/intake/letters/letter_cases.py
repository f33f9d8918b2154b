"""One letter request per channel family, with fixed facts and a fixed day, for the golden tests and the PDF tests.
The sender is made up."""
from datetime import date

from services.intake.domain.letters import LetterRequest, Sender

TODAY = date(2026, 12, 3)
SENDER = Sender("Maria Jansen", "Voorbeeldstraat 12", "1012 AB Amsterdam", "06-12345678")
ACCOUNT = ("Op 3 maart 2026 kwamen twee handhavers van de gemeente zonder aankondiging naar mijn werkruimte.\n"
           "Ze weigerden hun legitimatiebewijs te tonen en maakten grappen over mijn werk.")

CASES = {
    "awb_municipality": LetterRequest(
        channel_id="internal:municipality", institution_type="municipality", issue="rude_treatment",
        municipality="GM0363", incident_date=date(2026, 3, 3), sender=SENDER, account=ACCOUNT,
        grounds="Een toezichthouder moet zich op verzoek legitimeren.",
        request="Ik vraag om excuses en om uitleg over de controle."),
    "police": LetterRequest(
        channel_id="politie-klachten", institution_type="police", issue="rude_treatment", municipality="GM0599",
        incident_date=date(2026, 10, 14), sender=SENDER, incident_place="Keileweg, Rotterdam",
        account="Twee agenten vroegen zonder reden om mijn identiteitsbewijs en spraken onbeleefd over mijn werk.\n"
                "Een van hen had dienstnummer 12345."),
    "bank": LetterRequest(
        channel_id="internal:bank", institution_type="bank", issue="account_refused_or_closed", capacity="private",
        incident_date=date(2026, 9, 1), sender=SENDER, institution_name="ING Bank N.V.",
        reference_number="NL00 INGB 0000 0000 00",
        account="Op 1 september 2026 kreeg ik een brief dat mijn betaalrekening per 1 november wordt opgezegd.\n"
                "Er stond geen reden in de brief.",
        request="Ik vraag u mijn rekening open te houden."),
    "kifid": LetterRequest(
        channel_id="kifid", institution_type="bank", issue="account_refused_or_closed", capacity="private",
        incident_date=date(2026, 6, 1), prior_filed_on=date(2026, 6, 15), prior_final_answer_on=date(2026, 10, 1),
        sender=SENDER, institution_name="ING Bank N.V.",
        account="1. Op 1 juni 2026 zegde ING mijn betaalrekening op.\n2. Op 15 juni 2026 diende ik een klacht in.\n"
                "3. Op 1 oktober 2026 bleef ING bij het besluit.",
        grounds="ING heeft mij niet gehoord voordat de rekening werd opgezegd.",
        request="Ik vraag de Geschillencommissie om ING op te dragen mijn rekening te heropenen."),
    "ombudsman": LetterRequest(
        channel_id="nationale-ombudsman", institution_type="tax_authority", issue="rude_treatment",
        incident_date=date(2026, 2, 10), prior_filed_on=date(2026, 3, 1), prior_final_answer_on=date(2026, 5, 20),
        sender=SENDER,
        account="Een medewerker van de BelastingTelefoon noemde mijn werk 'geen echt werk' en weigerde mijn vraag "
                "over de btw te beantwoorden.",
        grounds="Ik werd niet respectvol behandeld en kreeg geen antwoord op mijn vraag."),
    "care": LetterRequest(
        channel_id="internal:care_provider", institution_type="care_provider", issue="rude_treatment",
        incident_date=date(2026, 11, 2), sender=SENDER, institution_name="Huisartsenpraktijk De Linde",
        account="De huisarts legde zonder reden een verband tussen mijn klachten en mijn werk en wilde mij niet "
                "onderzoeken."),
}
