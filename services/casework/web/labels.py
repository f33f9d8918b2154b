"""What the workspace calls each category, status and action (English msgids; Dutch in the catalogue).

`N_` marks a string for extraction only; templates translate it at render time with `_()`.
"""


def N_(text):
    return text


LISTS = {"new": N_("New"), "mine": N_("Mine"), "waiting_person": N_("Waiting for the person"),
         "waiting_institution": N_("Waiting for the institution"), "due_soon": N_("Due soon"),
         "overdue": N_("Overdue"), "closed": N_("Closed")}

STATUSES = {"new": N_("New"), "in_progress": N_("In progress"), "waiting_person": N_("Waiting for the person"),
            "waiting_institution": N_("Waiting for the institution"), "referred": N_("Referred"),
            "closed": N_("Closed")}

CLOSURE_REASONS = {"resolved": N_("Resolved"), "referred_on": N_("Referred on; nothing left for the desk"),
                   "no_contact": N_("The person could not be reached"),
                   "withdrawn_by_person": N_("The person asked us to stop"),
                   "outside_remit": N_("Outside what the desk does"), "duplicate": N_("Duplicate")}

INSTITUTION_TYPES = {"municipality": N_("Municipality"), "police": N_("Police"), "bank": N_("Bank"),
                     "insurer": N_("Insurer"), "health_insurer": N_("Health insurer"),
                     "care_provider": N_("Care provider"), "tax_authority": N_("Tax authority"), "uwv": N_("UWV"),
                     "svb": N_("SVB"), "kvk": N_("Chamber of Commerce (KVK)"), "landlord": N_("Landlord"),
                     "employer_or_operator": N_("Employer or operator"), "other": N_("Other")}

ISSUES = {"refused_service": N_("Refused service"), "account_refused_or_closed": N_("Account refused or closed"),
          "rude_treatment": N_("Rude or disrespectful treatment"), "discrimination": N_("Discrimination"),
          "privacy": N_("Privacy"), "violence": N_("Violence"), "exploitation": N_("Exploitation"),
          "permit": N_("Permit or licence"), "other": N_("Other")}

PROGRESS_KINDS = {"filed_with_institution": N_("Filed the complaint with the institution"),
                  "answer_received": N_("Got an answer from the institution"),
                  "final_answer_received": N_("Got the institution's final answer"),
                  "no_answer_yet": N_("No answer yet"),
                  "extension_notified": N_("The institution wrote that it needs more time")}

# a partner's status update about the referral it holds (libs/contracts/partner_updates.py)
PARTNER_STATUSES = {"received": N_("Received"), "in_handling": N_("Being handled"),
                    "information_needed": N_("Needs more information"), "answered": N_("Answered"),
                    "closed": N_("Closed")}
PARTNER_OUTCOMES = {"upheld": N_("Complaint upheld"), "partly_upheld": N_("Complaint partly upheld"),
                    "not_upheld": N_("Complaint not upheld"), "settled": N_("Settled"),
                    "not_admissible": N_("Not admissible"), "not_competent": N_("Not competent; another body is"),
                    "withdrawn_by_person": N_("Withdrawn by the person"),
                    "no_response": N_("No response to a request for information")}

ROLES = {"case_handler": N_("Case handler"), "coordinator": N_("Coordinator"), "mediator": N_("Mediator"),
         "administrator": N_("Administrator")}

REPORTER_ROLES = {"sex_worker": N_("Sex worker"), "operator": N_("Operator"), "support_worker": N_("Support worker"),
                  "other": N_("Someone else")}

ACTIONS = {"case.received": N_("Case file received"), "plan.updated": N_("Referral plan updated"),
           "referral.deadline_due": N_("A deadline in the plan was reached"),
           "referral.escalation_available": N_("The next step in the plan opened"),
           "progress.reported": N_("The person reported progress"),
           "mediation.assigned": N_("A mediator accepted the case"),
           "mediation.unmatched": N_("No mediator was found"),
           "mediation.outcome_recorded": N_("The mediator recorded an outcome"),
           "referral.partner_status_changed": N_("A partner sent a status update"),
           "consent.contact_withdrawn": N_("The person withdrew consent to be contacted"),
           "note.added": N_("Note added"), "status.changed": N_("Status changed"),
           "case.assigned": N_("Case assigned"), "grant.added": N_("Mediator given access"),
           "grant.revoked": N_("Mediator access revoked"), "message.from_person": N_("Message from the person"),
           "message.to_person": N_("Message to the person"),
           "feedback.given": N_("The person answered \"did it help?\""),
           "case.reopen_requested": N_("The person asked the desk to look at the case again")}

# the person's closed-list answers to "did it help?" / "is it solved?" (libs/contracts/events.py)
SOLVED = {"yes": N_("solved"), "partly": N_("partly solved"), "no": N_("not solved")}

UNREADABLE = {"no_key_for_you": N_("This case file is not yet sealed for your key. A colleague who can open it "
                                   "shares it with you when they next sign in; or ask the coordinator."),
              "file_not_arrived": N_("The case file has not arrived yet. Try again in a moment.")}

GRANT_REFUSED = {"no_consent": N_("The person did not agree to share their case with a mediator."),
                 "not_a_mediator": N_("That account is not an active mediator."),
                 "mediator_not_set_up": N_("That mediator has not finished setting up their account yet."),
                 "already_granted": N_("That mediator already has access."),
                 "no_such_grant": N_("There is no such access to revoke."), "no_case": N_("No such case.")}

PASSWORD_RULES = {"too_short": N_("Use at least 12 characters. A sentence of a few words is easy to remember."),
                  "too_long": N_("Use at most 256 characters."),
                  "contains_name": N_("Do not use the name of your e-mail address in your password.")}

REPLY_REFUSED = {"empty": N_("Write a message, choose a standard text or add a file."),
                 "too_long": N_("A message can be at most 10,000 characters."),
                 "too_many_files": N_("A message can have at most three files."),
                 "request_date": N_("A request needs a date after today."),
                 "unknown_text": N_("Choose one of the standard texts."),
                 "missing_placeholder": N_("Fill in what the standard text needs (what is missing, the channel, "
                                           "a date)."),
                 "too_large": N_("A file can be at most 5 MB."), "wrong_type": N_("Only PDF, JPEG and PNG files."),
                 "content_mismatch": N_("This file's content is not the type it says it is."),
                 "unreadable_image": N_("This image could not be read."), "empty_file": N_("This file is empty.")}

SIGNAL_SECTORS = {"banks": N_("Banks"), "insurers": N_("Insurers and health insurers"),
                  "municipalities": N_("Municipalities"), "police": N_("Police"), "care": N_("Care providers"),
                  "tax": N_("Tax authority"), "landlords": N_("Landlords"),
                  "other_institutions": N_("Other institutions")}

OBSERVATION_REFUSED = {"sector": N_("Choose one of the sectors."),
                       "quarter": N_("Choose one of the quarters in the list."),
                       "too_long": N_("An observation can be at most 2,000 characters."),
                       "contact_details": N_("Remove the e-mail address or phone number. The observation is "
                                             "published: describe patterns, never a person."),
                       "case_reference": N_("Remove the case reference. The observation is published: it must not "
                                            "point to a case.")}
