"""The English wording of every plan explanation, by code (see explanations.py).

Codes are stable: pages and partners may key translations and statistics on them. Change the English freely
(then sync and translate intake's catalogues); never reuse a code for a different meaning. Parameters use
%(name)s; their values are numbers or proper names.
"""
ENGLISH = {
    # step 1: the institution's own procedure (first_line.py)
    "first_line.why.awb_municipality": "Complain to the municipality itself first. By law it must answer within "
        "%(answer)s weeks; it may take %(extension)s more weeks if it tells you so in writing.",
    "first_line.why.awb_body": "Complain to the %(who)s itself first. By law it must answer within %(answer)s "
        "weeks; it may take %(extension)s more weeks if it tells you so in writing.",
    "first_line.why.police": "Complain to the police first: online, in writing, or by appointment via 0900-8844. "
        "If the first talk does not solve it, the police chief decides after advice from an independent committee. "
        "This may take %(answer)s weeks, and %(extension)s weeks more if they tell you so in writing.",
    "first_line.why.bank": "Complain in writing to the bank first, through its complaint procedure. It should "
        "answer within %(answer)s weeks.",
    "first_line.why.insurer": "Complain in writing to the insurer first, through its complaint procedure. It "
        "should answer within %(answer)s weeks.",
    "first_line.why.care_provider": "Talk to the care provider's complaint officer (klachtenfunctionaris) first; "
        "this is free. They must answer within %(answer)s weeks, or %(extension)s weeks later if they extend once.",
    "first_line.why.health_insurer": "Complain to your health insurer first. It should answer within %(answer)s "
        "weeks, unless your policy conditions give a different term.",
    "first_line.why.landlord": "Raise the problem with your landlord first, in writing if you can.",
    "first_line.why.employer_or_operator": "If it feels safe, raise it with the operator or employer. You do not "
        "have to.",
    "first_line.why.other": "Complain to the organisation itself first, through its own complaint procedure.",
    "first_line.if.treatment_not_decisions": "This is for how you were treated. A decision (for example about a "
        "permit) is challenged with an objection (bezwaar) instead.",
    "first_line.if.advisory_committee": "With an advisory committee the answer may take up to 10 weeks.",
    "first_line.if.police_not_anonymous": "The police do not handle anonymous complaints.",
    "first_line.if.privacy_officer": "For a privacy complaint, ask for the organisation's data protection "
        "officer (FG).",
    "first_line.if.older_conduct": "Things that happened more than a year before you complain may be refused.",
    "first_line.if.boa": "Violence by a municipal enforcement officer (boa or handhaver) counts as conduct of the "
        "municipality that employs them, so you can complain to the municipality. You choose whether you want to.",
    "first_line.if.may_skip": "You told us that complaining here first cannot reasonably be asked of you. Then you "
        "can go straight to the ombudsman (next step).",
    # a GGD: care under the Wkkgz, its other conduct under Awb chapter 9 (first_line.py, second_line.py)
    "ggd.if.about_care": "This route is for complaints about the care itself, for example a test or a treatment.",
    "ggd.if.not_about_care": "This route is for complaints about something other than the care itself, for example "
        "how you were treated at the desk or a letter. The GGD is a government body, so the complaint rules of the "
        "Awb apply.",
    # later steps (second_line.py)
    "ombudsman.why": "If the answer does not solve it, or no answer comes in time, you can ask the ombudsman. "
        "This is free; the ombudsman's findings are not binding.",
    "ombudsman.if.institution_first": "Only after you have complained to the institution itself.",
    "ombudsman.if.within_a_year": "Ask within one year after the institution finished handling your complaint, or "
        "after the day by which it should have answered.",
    "ombudsman.if.unless_unreasonable": "If complaining to the institution first cannot reasonably be asked of you, "
        "for example because you fear it will act against you, the ombudsman can take your complaint directly. "
        "The year then counts from what happened.",
    "ombudsman.why.direct": "You can go to the ombudsman directly, without complaining to the institution first, "
        "because that cannot reasonably be asked of you. The ombudsman decides whether it agrees. This is free; the "
        "ombudsman's findings are not binding.",
    "ombudsman.if.year_from_conduct": "Ask within one year after it happened.",
    "ombudsman.if.not_for_decisions": "Not for a decision you can object to (bezwaar) or appeal.",
    "ombudsman.if.name_the_municipality": "Many large municipalities have their own ombudsman; tell us the "
        "municipality so we can check.",
    "ombudsman.if.check_with_municipality": "Not confirmed: we think complaints about %(municipality)s go to this "
        "ombudsman: %(body)s. Check with the municipality first.",
    "ombudsman.if.check_with_ggd": "Ask the GGD which ombudsman handles complaints about it. It is often the "
        "ombudsman of the municipalities it works for. We show %(body)s, but this is not confirmed.",
    "kifid.why.not_for_business": "Kifid only takes complaints from consumers. For a business, it only handles "
        "some small-business loans, so it cannot take this complaint.",
    "kifid.if.consumer": "Only for complaints as a private person (consumer).",
    "kifid.why": "After the firm's final answer, or 8 weeks without one, you can go to Kifid. It is free for "
        "consumers, and its ruling is usually binding.",
    "kifid.if.time_limits": "Within 3 months of the final answer, or within 1 year of your first complaint to "
        "the firm.",
    "kifid.if.member": "Check that the firm is a member of Kifid.",
    "kifid.if.private_not_business": "Only if you dealt with them as a private person (consumer), not for your "
        "business.",
    "afm.why": "You can report the firm's conduct to the AFM, the supervisor. It cannot help you personally, but "
        "it uses reports in its supervision. The remaining route for a business is the court; get legal advice.",
    "skgz.why": "If your health insurer's answer does not solve it, or it does not answer in time, SKGZ can help: "
        "its ombudsman mediates for free, and its committee gives a binding ruling.",
    "skgz.why.privacy": "Complaints about how a health insurer handles your data can also go to SKGZ.",
    "skgz.if.after_answer": "After your health insurer has answered your complaint, or when it has not answered in "
        "time.",
    "skgz.if.time_limit": "Within 1 year after your health insurer's decision on your complaint (90 days more if "
        "the insurer did not tell you about SKGZ). After the ombudsman's conclusion, you have 90 days to go to the "
        "committee.",
    "skgz.if.fee": "Mediation by its ombudsman is free. A ruling by its committee costs a fee, which you usually get "
        "back if you win.",
    "care_dispute.why": "If the complaint officer does not solve it, the provider's dispute body can give a "
        "binding ruling and award up to €25,000.",
    "care_dispute.if.which_body": "Ask the care provider which dispute body it belongs to.",
    "care_dispute.if.time_limit": "At De Geschillencommissie Zorg: within 1 year after you complained to the "
        "provider; other bodies may use other limits.",
    "care_dispute.if.fee": "At De Geschillencommissie Zorg you pay €52.50 (klachtengeld). The care provider pays it "
        "back if you win. Other dispute bodies have their own fees.",
    "huurcommissie.why": "For rent, service charges or maintenance defects, the Huurcommissie can give a ruling. "
        "Tenants pay €25, refunded if you win; on a low income you may not have to pay.",
    "huurcommissie.if.after_landlord": "After you raised the problem with your landlord.",
    "huurcommissie.if.not_eviction": "Not for ending the contract or eviction: that goes to the kantonrechter.",
    "huurcommissie.if.starting_rent": "A starting rent in the free sector: within 6 months of the start of the "
        "contract.",
    "huurcommissie.if.free_sector_advice": "In the free sector, other disputes only go to the Huurcommissie if you "
        "and your landlord agreed to that, and then it gives advice, not a ruling.",
    "klachtencommissie.why": "If your landlord is a housing corporation and its answer does not solve it, or it "
        "does not answer in time, you can go to the corporation's independent complaints committee. This is free.",
    "klachtencommissie.if.corporation_only": "Only if your landlord is a housing corporation (woningcorporatie).",
    "klachtencommissie.if.terms": "Most committees take your complaint if the corporation did not handle it within "
        "6 weeks, and if it is not older than one year. Rules differ: ask the corporation for its committee's rules.",
    "meldpunt.why": "Every municipality has a reporting point for landlords (meldpunt goed verhuurderschap). You can "
        "report discrimination, intimidation, no written contract, or a deposit or service costs that are too high, "
        "also anonymously. The municipality can warn or fine the landlord, but it does not settle your own dispute.",
    "meldpunt.if.find_it_in": "Look for 'meldpunt goed verhuurderschap' on the website of %(municipality)s.",
    "meldpunt.if.find_it": "Look for 'meldpunt goed verhuurderschap' on the website of the municipality where the "
        "home is.",
    "meldpunt.if.corporation": "Some municipalities send tenants of a housing corporation to the corporation's "
        "complaints committee instead.",
    "privacy_authority.why": "If you cannot sort it out with the organisation, you can complain to the Autoriteit "
        "Persoonsgegevens. It does not take anonymous complaints; an anonymous tip is possible.",
    "privacy_authority.if.organisation_first": "First contact the organisation, usually its data protection "
        "officer (FG).",
    "privacy_authority.if.not_anonymous": "A complaint cannot be anonymous.",
    "privacy_authority.if.one_month": "The organisation must answer a request about your data (for example to see "
        "or delete it) within 1 month, or tell you within that month that it needs 2 more months. Without an answer "
        "in time, you can go to the AP.",
    "privacy_authority.if.government_decision": "A government body's answer to a request to see, correct or delete "
        "your data is a decision: you can object to it (bezwaar). If it does not decide in time, you can send it a "
        "formal notice (ingebrekestelling).",
    "arbeidsinspectie.why": "You can report unsafe work or underpayment to the Arbeidsinspectie, also "
        "anonymously. It does not settle individual disputes.",
    # signal plans (signals.py)
    "signal.why.police": "In acute danger, call 112. To report violence, coercion or exploitation, call the "
        "police on 0900-8844; they have detectives trained for human trafficking.",
    "signal.why.meld_misdaad_anoniem": "You can report anonymously to Meld Misdaad Anoniem on 0800-7000: your "
        "number is not shown and calls are not recorded.",
    "signal.why.comensha": "CoMensha helps people who may be victims of human trafficking, including a safe "
        "place to stay. Their helpdesk is open on working days.",
    "signal.why.arbeidsinspectie": "You can report labour exploitation to the Arbeidsinspectie on 0800-5151, "
        "also anonymously.",
    "signal.if.your_choice": "You choose whether to contact them. The desk passes nothing on without your "
        "consent.",
    # discrimination (overlays.py)
    "discrimination.why.report": "You can report discrimination to Discriminatie.nl. The anti-discrimination "
        "service near you helps for free and registers it, whatever else you do.",
    "discrimination.why.college_not_police": "The College voor de Rechten van de Mens mostly does not handle "
        "discrimination by the police, such as ethnic profiling. Use the police complaint procedure instead.",
    "discrimination.why.college": "The College voor de Rechten van de Mens can judge whether this was "
        "discrimination. It is free and takes at most 6 months.",
    "discrimination.if.listed_grounds": "Only for grounds in equal-treatment law, such as sex, race, nationality, "
        "religion, sexual orientation or disability. Sex work itself is not a listed ground.",
    "discrimination.if.not_binding": "Its judgment is not binding, but a court must explain if it decides "
        "otherwise.",
    "discrimination.if.government": "Most complaints about discrimination by government bodies are outside its "
        "scope.",
    "discrimination.if.social_protection": "For benefits and allowances (for example from UWV, SVB, Toeslagen or "
        "the municipality's social assistance) it can judge discrimination because of race or origin: skin colour, "
        "descent, nationality or ethnic origin. Other grounds, police action and income tax are outside its scope.",
    # support (planner.py)
    "support.juridisch_loket": "Legal information and example letters on its website, for everyone. Personal "
        "advice is free if your income and savings are below its limits; calling 0900-8020 costs money per minute.",
    "support.klachtenloket_zorg": "Free information, advice and mediation about a complaint about care.",
    "support.landelijk_meldpunt_zorg": "Information and advice about care complaints; you can call anonymously. "
        "It does not settle individual complaints.",
    "support.fairwork": "Free, confidential advice for people exploited at work.",
    # warnings (plan_warnings.py): the code is also the warning's `code`
    "signal_not_passed_on": "Your safety comes first. The desk does not pass this on to the municipality or "
        "anyone else without your consent.",
    "conduct_older_than_a_year": "This happened more than a year ago, so the institution may refuse to handle "
        "your complaint. You can still try.",
    "second_line_window_closed": "The usual time limit for the next step has passed. The body may still take "
        "your complaint; ask them.",
    "municipality_unknown": "We do not know the municipality, so we show the Nationale ombudsman. Some "
        "municipalities have their own ombudsman.",
    "check_with_municipality": "We could not confirm which ombudsman handles complaints about %(municipality)s. "
        "Our best information is: %(body)s. Please check with the municipality.",
    "decision_needs_objection": "If you disagree with a decision, such as a permit refusal, you object (bezwaar) "
        "within 6 weeks of the decision. That is a different procedure from a complaint.",
    "capacity_unknown": "Kifid only handles complaints from private persons. Tell us whether this was private or "
        "for your business.",
    "kifid_not_for_business": "Kifid does not handle business accounts (except some small-business loans). Legal "
        "advice can help you find another route.",
    "basic_account_right": "Most people have a legal right to a basic payment account; a bank may refuse or close "
        "it only on grounds set in the law.",
    # `channels`: the English names joined; `channel_ids`: the same channels, for a page to name them itself
    "not_anonymous": "These do not take anonymous complaints: %(channels)s.",
    "person_concerned": "An ombudsman may refuse a complaint that is not made by the person concerned. The "
        "person can file it, with your help.",
    # `channels`/`channel_ids` as for not_anonymous
    "awb_anonymous": "A government body may refuse a written complaint without your name and address (Awb 9:4), "
        "and the ombudsman asks for them too. This applies to: %(channels)s.",
    "anonymous_help": "If you do not want to give your own name and address, the desk can file the complaint for "
        "you, with your consent. The desk can also help you write the letter.",
    "report_may_pause_complaint": "If you also report it to the police, the institution may pause your complaint "
        "while the criminal investigation runs.",
    "juridisch_loket_not_for_business": "The Juridisch Loket does not advise on your own business. A legal "
        "expenses insurer (rechtsbijstandverzekeraar) or a lawyer can help you instead.",
}
