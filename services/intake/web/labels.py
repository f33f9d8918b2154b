"""Human wording for the codes the platform uses (enums, error codes, statuses), marked for translation.

`N_` only marks a string for extraction into the catalogues; templates translate it at render time with `_()`.
Keys mirror the enums in libs.contracts.events; a test fails when an enum value has no wording.
"""

def N_(message):
    return message


INSTITUTION_LABELS = {
    "municipality": N_("Municipality (gemeente)"),
    "police": N_("Police"),
    "bank": N_("Bank"),
    "insurer": N_("Insurer"),
    "health_insurer": N_("Health insurer"),
    "care_provider": N_("Doctor, hospital or other care provider"),
    "tax_authority": N_("Tax authority (Belastingdienst)"),
    "uwv": N_("UWV (benefits and work)"),
    "svb": N_("SVB (Sociale Verzekeringsbank)"),
    "kvk": N_("Chamber of Commerce (KVK)"),
    "landlord": N_("Landlord or housing association"),
    "employer_or_operator": N_("Employer or operator (for example a club or window business)"),
    "other": N_("Another institution"),
}
ISSUE_LABELS = {
    "refused_service": N_("I was refused a service"),
    "account_refused_or_closed": N_("A bank account was refused or closed"),
    "rude_treatment": N_("I was treated rudely or without respect"),
    "discrimination": N_("Discrimination"),
    "privacy": N_("Privacy: my data were shared or misused"),
    "violence": N_("Violence or threats"),
    "exploitation": N_("Coercion or exploitation"),
    "permit": N_("A permit or licence"),
    "other": N_("Something else"),
}
ROLE_LABELS = {
    "sex_worker": N_("I am a sex worker and this is about me"),
    "operator": N_("I run a sex business (operator)"),
    "support_worker": N_("I support someone (care or support worker)"),
    "other": N_("Someone else"),
}
CAPACITY_LABELS = {
    "private": N_("As a private person"),
    "business": N_("For my business (for example as self-employed)"),
}
CONTACT_METHOD_LABELS = {
    "none": N_("No contact: I will check back myself with my receipt"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
}
YES_NO_LABELS = {"yes": N_("Yes"), "no": N_("No")}
YES_NO_UNKNOWN_LABELS = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("I don't know")}

# Form steps, in the order of services.intake.web.form_fields.FORM_STEPS.
STEP_TITLES = {
    "about": N_("About you and the institution"),
    "what": N_("What happened"),
    "contact": N_("Mediation and contact"),
    "consent": N_("Your permission"),
    "review": N_("Check your answers"),
}

ERROR_MESSAGES = {
    "required": N_("Please fill this in."),
    "required_choice": N_("Please choose an answer."),
    "invalid_choice": N_("Please choose one of the options."),
    "too_long": N_("This is too long. The limit is %(max)s characters."),
    "invalid_date": N_("Please write the date like 31-03-2026."),
    "future_date": N_("This date is in the future."),
    "date_order": N_("This date is before the date you filed your complaint."),
    "invalid_municipality": N_("Please choose a municipality from the list."),
    "invalid_email": N_("This does not look like an e-mail address."),
    "one_email_only": N_("Please give one e-mail address only."),
    "invalid_phone": N_("This does not look like a phone number."),
    # the message to the desk and its files (follow-up page)
    "message_empty": N_("Write a message or add a file."),
    "too_many_files": N_("You can add up to three files to one message."),
    "file_too_large": N_("A file can be at most 5 MB."),
    "file_type": N_("Only PDF, JPEG and PNG files can be added."),
    "file_mismatch": N_("This file is not what its name says. Only PDF, JPEG and PNG files can be added."),
    "image_unreadable": N_("This image could not be read. Try another photo."),
    "too_many_messages": N_("You sent many messages in the last hour. Please wait a while and try again."),
    # the free answer to "did it help?" (its limit is not a form field's, so it is named here)
    "comment_too_long": N_("This is too long. The limit is 2000 characters."),
}

# Follow-up lookups fail for a few reasons; the page names the kind of problem, never the input.
FOLLOW_UP_ERRORS = {
    "not_found": N_(
        "We could not find a complaint with this reference and receipt. Please check both and try again."),
    "rate_limited": N_("Too many attempts. Please wait a few minutes and try again."),
    "invalid": N_("Please fill in both the reference and the receipt."),
}
GENERIC_FOLLOW_UP_ERROR = N_("Something went wrong. Please try again later.")

# Statuses of a complaint or of a step in its plan, as the routing and intake services report them.
STATUS_LABELS = {
    "received": N_("Received"),
    "planned": N_("Planned"),
    "open": N_("Open"),
    "waiting": N_("Waiting for an answer"),
    "in_progress": N_("In progress"),
    "answered": N_("Answered"),
    "escalation_available": N_("You can go to the next step"),
    "done": N_("Done"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
    "not_applicable": N_("Does not apply"),
    # a step of the referral plan, on the day it was made (services/routing/domain/plan.py)
    "available_now": N_("You can do this now"),
    "after_previous_step": N_("After the previous step"),
    "deadline_passed": N_("The deadline has passed"),
}

# Dates in a plan step (`dates: {...}`); an unknown key still shows, under a neutral label.
PLAN_DATE_LABELS = {
    "file_by": N_("File your complaint before"),
    "answer_due": N_("An answer is due by"),
    "escalate_by": N_("Go to the next step before"),
    "escalate_from": N_("You can go to the next step from"),
    "extension_limit": N_("If they take longer, the answer is due by"),
}
UNCONFIRMED_STEP = N_("We could not yet confirm every detail of this step. Please check with them.")

# The follow-up page: what the person can report, and its questions (the progress form and its error summary).
PROGRESS_LABELS = {
    "filed_with_institution": N_("I filed my complaint with the institution"),
    "answer_received": N_("I got an answer from the institution"),
    "final_answer_received": N_("I got the institution's final answer"),
    "no_answer_yet": N_("I have had no answer yet"),
    "extension_notified": N_("The institution wrote that it needs more time"),
}
FOLLOW_UP_FIELD_LABELS = {
    "progress_kind": N_("What has happened?"),
    "progress_on": N_("On which date? (not needed for 'no answer yet')"),
}
MESSAGE_FIELD_LABELS = {
    "message": N_("Your message to the desk"),
    "attachment": N_("Files"),
}
FOLLOW_UP_NOTICES = {
    "message_sent": N_("Your message has been sent to the desk. Only the desk can read it."),
    "progress_saved": N_("Thank you. We have noted this. Your plan and its dates will be updated shortly."),
    "withdrawn": N_("Your complaint has been withdrawn. We have erased what you told us and your receipt no "
                    "longer works. Organisations we passed it on to are told to erase it too."),
    "messages_stopped": N_("We will not send you any more messages. Your complaint stays open: you can still "
                           "follow it here with your receipt."),
    "feedback_saved": N_("Thank you for your answer. It helps us to improve the desk."),
    "feedback_reopen": N_("Thank you. Your case is back with the desk. They will look at it again."),
}
# What an organisation the complaint was passed on to says (routing's referral.partner_status_changed): codes from
# libs/contracts/partner_updates.py, worded here for the person
PARTNER_STATUS_LABELS = {
    "received": N_("They have received your complaint."),
    "in_handling": N_("They are working on your complaint."),
    "information_needed": N_("They need more information. They will contact you, or you can contact them."),
    "answered": N_("They have answered your complaint."),
    "closed": N_("They have closed your complaint."),
}
PARTNER_OUTCOME_LABELS = {
    "upheld": N_("Result: your complaint was found justified."),
    "partly_upheld": N_("Result: your complaint was found partly justified."),
    "not_upheld": N_("Result: your complaint was not found justified."),
    "settled": N_("Result: a solution was agreed."),
    "not_admissible": N_("Result: they could not take your complaint."),
    "not_competent": N_("Result: another organisation has to handle your complaint."),
    "withdrawn_by_person": N_("Result: the complaint was stopped."),
    "no_response": N_("Result: they did not get the information they asked for."),
}
# "Did it help?" (the case closed) and "Is it solved?" (an answer was due): the questions on the follow-up page
FEEDBACK_TITLES = {
    "closure": N_("Did it help?"),
    "answer_due": N_("Is your problem solved?"),
}
FEEDBACK_INTROS = {
    "closed_by_desk": N_("The desk has closed your case. Please tell us if it helped. It takes one minute."),
    "mediation_outcome": N_("The mediation has ended. Please tell us if it helped. It takes one minute."),
    "plan_ended": N_("The last date in your plan has passed. Please tell us if your problem is solved."),
    "answer_due": N_("The institution should have answered you by now. Please tell us if the answer came and if "
                     "it solved your problem."),
}
FEEDBACK_FIELD_LABELS = {
    "answer_came": N_("Did the answer from the institution come?"),
    "solved": N_("Is your problem solved?"),
    "institution_treatment": N_("How did the institution treat you?"),
    "desk_treatment": N_("How did the desk treat you?"),
    "reopen": N_("Do you want the desk to look at your case again?"),
    "comment": N_("Anything else you want to tell the desk? (you may leave this empty)"),
}
SOLVED_LABELS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No")}
TREATMENT_LABELS = {
    "1": N_("Very badly"), "2": N_("Badly"), "3": N_("Not well, not badly"), "4": N_("Well"), "5": N_("Very well"),
}
REOPEN_LABELS = {"no": N_("No"), "yes": N_("Yes, please look at my case again")}
FEEDBACK_HINTS = {
    "treatment": N_("You may skip this question."),
    "comment": N_("Only the desk can read this. It is added to your messages with the desk."),
}
# why an answer cannot be taken (the API's 409 codes)
FEEDBACK_REFUSALS = {
    "not_asked": N_("There is no question to answer for this complaint yet."),
    "already_given": N_("You have answered already. Thank you."),
    "window_closed": N_("The time to answer has passed: you can answer until 90 days after we asked. You can still "
                        "write to the desk below."),
    "comment_not_possible": N_("We cannot keep a written answer for this complaint. Please answer without it."),
}

MEDIATION_OUTCOME_LABELS = {
    "resolved": N_("The mediation has ended: the problem was solved."),
    "referred_on": N_("The mediation has ended: you were referred to another organisation."),
    "withdrawn": N_("The mediation has ended: it was stopped."),
    "no_contact": N_("The mediation has ended: the mediator could not reach you."),
    "not_resolved": N_("The mediation has ended: the problem was not solved."),
}
UNKNOWN_DATE_LABEL = N_("Date")

ERROR_PAGES = {
    400: (N_("Something in the request was not right"), N_("Please go back and try again.")),
    403: (N_("This page has expired"),
          N_("For your safety, forms expire. Please go back to the start and fill in the form again.")),
    404: (N_("Page not found"), N_("This page does not exist (any more).")),
    405: (N_("Something in the request was not right"), N_("Please go back and try again.")),
    413: (N_("Too much text"), N_("What you sent was too long. Please shorten it and try again.")),
    429: (N_("Too many attempts"), N_("Please wait a few minutes and try again.")),
    500: (N_("Something went wrong on our side"),
          N_("Nothing you did caused this. Please try again later.")),
    # the database is briefly away: both sentences are already translated (500's title, 429's advice)
    503: (N_("Something went wrong on our side"), N_("Please wait a few minutes and try again.")),
}

# The question each form field asks; also the link text in the error summary.
FIELD_LABELS = {
    "reporter_role": N_("Who is filling in this form?"),
    "institution_type": N_("Which institution is your complaint about?"),
    "institution_name": N_("Name of the institution (optional)"),
    "municipality": N_("In which municipality did it happen? (optional)"),
    "issue": N_("What is your complaint about?"),
    "incident_date": N_("When did it happen? (optional)"),
    "capacity": N_("Were you dealing with them as a private person or for your business? (optional)"),
    "prior_complaint": N_("Have you already complained to the institution itself?"),
    "prior_filed_on": N_("When did you file that complaint? (optional)"),
    "prior_final_answer_on": N_("When did you get their final answer? (optional)"),
    "prior_extension_notified": N_("Did they write to you that they need more time to answer? (optional)"),
    "prior_advisory_committee": N_("Is your complaint handled by a complaints committee? (optional)"),
    "first_complaint_unreasonable": N_("Is it too hard or not safe for you to complain to the institution itself "
                                       "first? (optional)"),
    "public_body": N_("Is it the GGD (the municipal health service)? (optional)"),
    "about_care": N_("Is your complaint about the care itself, for example a test, a vaccination or a treatment? "
                     "(optional)"),
    "housing_corporation": N_("Do you rent from a housing corporation (woningcorporatie)? (optional)"),
    "description": N_("Tell us what happened"),
    "wants_mediation": N_("Would you like a mediator to help you?"),
    "contact_method": N_("May we contact you? How?"),
    "contact_address": N_("Your e-mail address or phone number"),
    "contact_safe_times": N_("When is it safe to contact you? (optional)"),
    "contact_no_voicemail": N_("Do not leave voicemail or text messages"),
    "consent_referral": N_("May we pass your complaint on to the complaint body that fits your case?"),
    "consent_share_description": N_("May we also share your own description of what happened with that body?"),
    "consent_contact": N_("May we or a mediator contact you with the details you gave?"),
    "consent_share_with_mediator": N_("May the desk show your description and your contact details to the "
                                      "mediator?"),
}
