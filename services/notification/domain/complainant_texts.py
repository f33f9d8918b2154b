"""What a status message to the person says, in their language (plain Python, no framework).

Short and plain: the reference, what changed, a date where there is one, and the link to the public follow-up
page. Never the complaint text, the institution, the category or anything else about the person; never the
receipt (the follow-up page asks for it). Subjects are discreet: they are what a lock screen shows.
Wording follows the intake form's terms per language (kenmerk/bewijscode, referencia/comprobante, ...).
"""
from datetime import date

KINDS = ("plan", "deadline", "next_step", "mediator")

TEXTS = {
    "en": {
        "subject": {"plan": "Voorportaal {ref}: a new step you can take",
                    "deadline": "Voorportaal {ref}: a date in your plan has come",
                    "next_step": "Voorportaal {ref}: the next step is open",
                    "mediator": "Voorportaal {ref}: a mediator has accepted your case"},
        "lead": {"plan": "There is a new step you can take in the plan for your case {ref}.",
                 "deadline": "The answer to your complaint (case {ref}) was due on {date}. If you have not "
                             "received it, your follow-up page shows what you can do now.",
                 "next_step": "From {date} you can take the next step in the plan for your case {ref}.",
                 "mediator": "A mediator has accepted your case {ref}."},
        "greeting": "Hello,",
        "link": "Your follow-up page (you need your reference and your receipt):",
        "footer": "This e-mail says nothing about the content of your complaint, and we never send your receipt. "
                  "You get it because you asked to be kept informed. If you withdraw your complaint, these "
                  "messages stop and your e-mail address is deleted.",
        "date": "%Y-%m-%d",
    },
    "nl": {
        "subject": {"plan": "Voorportaal {ref}: een nieuwe stap die je kunt zetten",
                    "deadline": "Voorportaal {ref}: een datum in je plan is bereikt",
                    "next_step": "Voorportaal {ref}: de volgende stap is open",
                    "mediator": "Voorportaal {ref}: een bemiddelaar heeft je zaak aangenomen"},
        "lead": {"plan": "In het plan voor je zaak {ref} staat een nieuwe stap die je nu kunt zetten.",
                 "deadline": "Het antwoord op je klacht (zaak {ref}) had er op {date} moeten zijn. Heb je het "
                             "nog niet gekregen? Op je volgpagina zie je wat je nu kunt doen.",
                 "next_step": "Vanaf {date} kun je de volgende stap zetten in het plan voor je zaak {ref}.",
                 "mediator": "Een bemiddelaar heeft je zaak {ref} aangenomen."},
        "greeting": "Hallo,",
        "link": "Je volgpagina (je hebt je kenmerk en je bewijscode nodig):",
        "footer": "Deze e-mail zegt niets over de inhoud van je klacht, en we sturen nooit je bewijscode mee. Je "
                  "krijgt dit bericht omdat je vroeg om op de hoogte te blijven. Trek je je klacht in, dan stoppen "
                  "deze berichten en wordt je e-mailadres gewist.",
        "date": "%d-%m-%Y",
    },
    "es": {
        "subject": {"plan": "Voorportaal {ref}: un nuevo paso que puedes dar",
                    "deadline": "Voorportaal {ref}: ha llegado una fecha de tu plan",
                    "next_step": "Voorportaal {ref}: el siguiente paso ya está abierto",
                    "mediator": "Voorportaal {ref}: una persona mediadora ha aceptado tu caso"},
        "lead": {"plan": "En el plan de tu caso {ref} hay un nuevo paso que puedes dar ahora.",
                 "deadline": "La respuesta a tu queja (caso {ref}) debía llegar el {date}. Si todavía no la has "
                             "recibido, en tu página de seguimiento ves lo que puedes hacer ahora.",
                 "next_step": "Desde el {date} puedes dar el siguiente paso del plan de tu caso {ref}.",
                 "mediator": "Una persona mediadora ha aceptado tu caso {ref}."},
        "greeting": "Hola:",
        "link": "Tu página de seguimiento (necesitas tu referencia y tu comprobante):",
        "footer": "Este correo no dice nada sobre el contenido de tu queja, y nunca enviamos tu comprobante. Lo "
                  "recibes porque pediste que te mantuviéramos al tanto. Si retiras tu queja, estos mensajes se "
                  "detienen y tu dirección de correo se borra.",
        "date": "%d/%m/%Y",
    },
    "ro": {
        "subject": {"plan": "Voorportaal {ref}: un pas nou pe care îl puteți face",
                    "deadline": "Voorportaal {ref}: a sosit o dată din planul dumneavoastră",
                    "next_step": "Voorportaal {ref}: următorul pas este disponibil",
                    "mediator": "Voorportaal {ref}: un mediator a acceptat cazul dumneavoastră"},
        "lead": {"plan": "În planul pentru cazul dumneavoastră {ref} există un pas nou pe care îl puteți face "
                         "acum.",
                 "deadline": "Răspunsul la plângerea dumneavoastră (cazul {ref}) trebuia să sosească până la "
                             "{date}. Dacă nu l-ați primit, pe pagina de urmărire vedeți ce puteți face acum.",
                 "next_step": "Începând cu {date} puteți face următorul pas din planul pentru cazul "
                              "dumneavoastră {ref}.",
                 "mediator": "Un mediator a acceptat cazul dumneavoastră {ref}."},
        "greeting": "Bună ziua,",
        "link": "Pagina dumneavoastră de urmărire (aveți nevoie de referință și de codul de confirmare):",
        "footer": "Acest e-mail nu spune nimic despre conținutul plângerii și nu vă trimitem niciodată codul de "
                  "confirmare. Îl primiți pentru că ați cerut să fiți ținut(ă) la curent. Dacă vă retrageți "
                  "plângerea, aceste mesaje se opresc, iar adresa dumneavoastră de e-mail este ștearsă.",
        "date": "%d.%m.%Y",
    },
    "bg": {
        "subject": {"plan": "Voorportaal {ref}: нова стъпка, която можете да предприемете",
                    "deadline": "Voorportaal {ref}: настъпи дата от вашия план",
                    "next_step": "Voorportaal {ref}: следващата стъпка е отворена",
                    "mediator": "Voorportaal {ref}: медиатор прие вашия случай"},
        "lead": {"plan": "В плана за вашия случай {ref} има нова стъпка, която можете да предприемете сега.",
                 "deadline": "Отговорът на оплакването ви (случай {ref}) трябваше да дойде до {date}. Ако още "
                             "не сте го получили, на страницата за проследяване ще видите какво можете да "
                             "направите сега.",
                 "next_step": "От {date} можете да предприемете следващата стъпка от плана за вашия случай "
                              "{ref}.",
                 "mediator": "Медиатор прие вашия случай {ref}."},
        "greeting": "Здравейте,",
        "link": "Вашата страница за проследяване (трябват ви номерът и кодът за потвърждение):",
        "footer": "Този имейл не казва нищо за съдържанието на оплакването ви и никога не изпращаме кода ви за "
                  "потвърждение. Получавате го, защото поискахте да ви държим в течение. Ако оттеглите "
                  "оплакването си, тези съобщения спират и имейл адресът ви се изтрива.",
        "date": "%d.%m.%Y",
    },
    "pl": {
        "subject": {"plan": "Voorportaal {ref}: nowy krok, który możesz zrobić",
                    "deadline": "Voorportaal {ref}: nadeszła data z twojego planu",
                    "next_step": "Voorportaal {ref}: następny krok jest już możliwy",
                    "mediator": "Voorportaal {ref}: mediator przyjął twoją sprawę"},
        "lead": {"plan": "W planie dla twojej sprawy {ref} jest nowy krok, który możesz teraz zrobić.",
                 "deadline": "Odpowiedź na twoją skargę (sprawa {ref}) powinna była przyjść do {date}. Jeśli "
                             "jej jeszcze nie masz, na stronie sprawdzania skargi zobaczysz, co możesz teraz "
                             "zrobić.",
                 "next_step": "Od {date} możesz zrobić następny krok w planie dla twojej sprawy {ref}.",
                 "mediator": "Mediator przyjął twoją sprawę {ref}."},
        "greeting": "Dzień dobry,",
        "link": "Twoja strona sprawdzania skargi (potrzebujesz numeru i kodu potwierdzenia):",
        "footer": "Ten e-mail nic nie mówi o treści twojej skargi i nigdy nie wysyłamy twojego kodu "
                  "potwierdzenia. Dostajesz go, bo prosiłeś(-aś) o informacje. Jeśli wycofasz skargę, te "
                  "wiadomości się skończą, a twój adres e-mail zostanie usunięty.",
        "date": "%d.%m.%Y",
    },
}
FALLBACK_LANGUAGE = "nl"


def email_text(kind: str, language: str, reference: str, follow_up_url: str, due_on: str | None = None):
    """(subject, body) of one status message; `due_on` an ISO date for `deadline` and `next_step`."""
    texts = TEXTS.get(language) or TEXTS[FALLBACK_LANGUAGE]
    shown = date.fromisoformat(due_on).strftime(texts["date"]) if due_on else ""
    subject = texts["subject"][kind].format(ref=reference)
    lead = texts["lead"][kind].format(ref=reference, date=shown)
    body = (f"{texts['greeting']}\n\n{lead}\n\n{texts['link']}\n{follow_up_url}\n\n"
            f"{texts['footer']}\n\nVoorportaal\n")
    return subject, body
