"""The complaint letter's sentences, in English (the msgids). The letter itself is Dutch: each sentence's Dutch
wording is its translation in the `rights` catalogue under the context "letter" (nl/LC_MESSAGES/rights.po); the
same catalogue in the person's language gives them the version they read beside it. tests/unit/intake/
test_letters_golden.py pins the Dutch letters of every channel family, so a change to the Dutch wording shows.

Sources of the wording and of every legal point: docs/rights-and-letters.md (from the research of issue 16, notes
outside this repository). Parameters are dates (formatted per language), proper names and numbers; the person's
own words are never a parameter: they are separate blocks, shown as typed.
"""

LETTER = {
    # -- the frame -------------------------------------------------------------------------------------------
    "place_date": "%(place)s, %(date)s",
    "date_only": "%(date)s",
    "salutation": "Dear Sir or Madam,",
    "closing": "Yours faithfully,",
    "signature_line": "(signature)",
    "subject_label": "Subject:",
    "attachments_label": "Attachments:",
    "attachment_numbered": "Attachment %(number)s: %(what)s",
    "account_intro": "This is what happened:",
    "account_intro_ordered": "This is what happened, in order:",
    "grounds_intro": "I think this was wrong, because:",
    "request_intro": "I ask you to do the following:",
    "reference_line": "Reference number: %(reference)s",
    "place_line": "Place where it happened: %(place)s",
    "late_complaint": "I am making this complaint more than a year after it happened. I ask you to handle it all "
                      "the same.",
    "receipt_please": "Please confirm in writing that you have received my complaint.",
    # -- (a) a government body, Awb title 9.1 ------------------------------------------------------------------
    "awb.subject": "Complaint about how your organisation treated me",
    "awb.subject_dated": "Complaint about how your organisation treated me on %(date)s",
    "awb.opening": "I hereby make a complaint about the way your organisation treated me.",
    "awb.opening_dated": "I hereby make a complaint about the way your organisation treated me on %(date)s.",
    "awb.default_request": "I ask you to look into my complaint, to explain what happened, and to make sure that "
                           "it does not happen again.",
    "awb.legal": "I ask you to handle my complaint under chapter 9 of the General Administrative Law Act "
                 "(Algemene wet bestuursrecht, Awb) and to give me your judgment in writing within six weeks of "
                 "receiving it (Awb article 9:11).",
    # -- (b) the police ---------------------------------------------------------------------------------------
    "police.addressee": "To the police chief of the police unit where it happened",
    "police.subject": "Complaint about the conduct of police officers",
    "police.subject_dated": "Complaint about the conduct of police officers on %(date)s",
    "police.opening": "I hereby make a complaint about the conduct of one or more police officers.",
    "police.opening_dated": "I hereby make a complaint about the conduct of one or more police officers on "
                            "%(date)s.",
    "police.grounds_intro": "I think the police did not act properly here, because:",
    "police.default_request": "I ask for a conversation, an explanation and an apology, and that this does not "
                              "happen again.",
    "police.legal": "I ask you to handle my complaint under the police complaints procedure (chapter 9 of the "
                    "General Administrative Law Act, Awb).",
    "police.confirm": "Please confirm in writing that my complaint is being handled.",
    # -- (c) a bank's or insurer's internal complaints procedure ----------------------------------------------
    "financial.subject": "Complaint",
    "financial.subject_account": "Complaint about the refusal or closure of my payment account",
    "financial.opening": "I hereby make a complaint through your internal complaints procedure.",
    "financial.dated": "It is about what happened on %(date)s.",
    "financial.ask_grounds": "Please tell me in writing on what grounds you took this decision.",
    "financial.basic_account": "For my private banking I have a right to a basic payment account "
                               "(basisbetaalrekening).",
    "financial.default_request": "I ask you to reconsider your decision and to answer me in writing.",
    "financial.legal": "I would like a full written answer within eight weeks.",
    "financial.kifid_next": "If my complaint is not solved, I will take it to the Financial Services Complaints "
                            "Institute (Kifid).",
    # -- (d) Kifid --------------------------------------------------------------------------------------------
    "kifid.subject": "Complaint about my financial service provider (%(institution)s)",
    "kifid.consumer": "I make this complaint as a consumer (a private person).",
    "kifid.filed": "I made my complaint to %(institution)s in writing on %(filed_on)s (attachment 1).",
    "kifid.final_position": "On %(answer_on)s %(institution)s gave its final position (attachment 2).",
    "kifid.eight_weeks": "More than eight weeks have passed and I have not had a full answer.",
    "kifid.no_final_position": "I have not yet had a final position from %(institution)s.",
    "kifid.grounds_intro": "I think %(institution)s did not act with due care, because:",
    "kifid.default_request": "I ask Kifid to mediate and, if needed, to give a ruling on my complaint.",
    "kifid.in_time": "I am making this complaint within three months of the final position of %(institution)s, "
                     "or within one year of first making my complaint to %(institution)s.",
    "kifid.attachment_complaint": "my complaint to %(institution)s of %(filed_on)s",
    "kifid.attachment_answer": "the final position of %(institution)s of %(answer_on)s",
    # -- (e) an ombudsman, Awb title 9.2 ----------------------------------------------------------------------
    "ombudsman.subject": "Request for an investigation into the conduct of %(institution)s",
    "ombudsman.opening": "I hereby ask you to investigate the way %(institution)s behaved towards me.",
    "ombudsman.dated": "It is about what happened on %(date)s.",
    "ombudsman.filed": "I made a complaint about this to %(institution)s on %(filed_on)s (attachment 1).",
    "ombudsman.answered": "On %(answer_on)s I received its answer (attachment 2). This answer does not solve my "
                          "complaint.",
    "ombudsman.no_answer": "I have not received an answer yet.",
    "ombudsman.grounds_intro": "I think %(institution)s did not act properly, because:",
    "ombudsman.default_request": "I ask you to investigate whether %(institution)s behaved properly towards me.",
    "ombudsman.legal": "I make this request under title 9.2 of the General Administrative Law Act (Awb).",
    "ombudsman.attachment_complaint": "my complaint to %(institution)s of %(filed_on)s",
    "ombudsman.attachment_answer": "the answer of %(institution)s of %(answer_on)s",
    # -- (f1) a care provider (Wkkgz) ----------------------------------------------------------------------
    "care.addressee": "To the complaints officer (klachtenfunctionaris)",
    "care.subject": "Complaint about the care I received",
    "care.subject_dated": "Complaint about the care I received on %(date)s",
    "care.opening": "I hereby make a complaint under the Care Quality, Complaints and Disputes Act (Wet "
                    "kwaliteit, klachten en geschillen zorg, Wkkgz).",
    "care.dated": "It is about the care I received on %(date)s.",
    "care.grounds_intro": "I am not satisfied with this, because:",
    "care.default_request": "I would like a conversation and an explanation of what happened.",
    "care.legal": "I ask you to give me your judgment on my complaint in writing within six weeks, as the Wkkgz "
                  "requires.",
    # -- (f2) a health insurer and SKGZ -------------------------------------------------------------------------
    "health_insurer.subject": "Complaint",
    "health_insurer.opening": "I hereby make a complaint through your complaints procedure.",
    "health_insurer.dated": "It is about your decision or what happened on %(date)s.",
    "health_insurer.default_request": "I ask you to reconsider your decision and to answer me in writing.",
    "health_insurer.skgz_next": "If my complaint is not solved, I will take it to the Health Insurance Complaints "
                                "and Disputes Foundation (SKGZ).",
    "skgz.subject": "Complaint about my health insurer (%(institution)s)",
    "skgz.opening": "I hereby put my complaint about my health insurer (%(institution)s) to the Health Insurance "
                    "Ombudsman (Ombudsman Zorgverzekeringen).",
    "skgz.filed": "I made my complaint to the health insurer on %(filed_on)s (attachment 1).",
    "skgz.answered": "On %(answer_on)s the health insurer gave its decision on my complaint (attachment 2).",
    "skgz.no_answer": "I have not received a decision on my complaint yet.",
    "skgz.default_request": "I ask you to mediate so that my complaint is solved.",
    "skgz.attachment_complaint": "my complaint to %(institution)s of %(filed_on)s",
    "skgz.attachment_answer": "the decision of %(institution)s of %(answer_on)s",
    # -- any other organisation's own complaints procedure -------------------------------------------------------
    "own_procedure.subject": "Complaint",
    "own_procedure.opening": "I hereby make a complaint through your complaints procedure.",
    "own_procedure.dated": "It is about what happened on %(date)s.",
    "own_procedure.default_request": "I ask you to look into my complaint and to answer me in writing.",
    "own_procedure.legal": "I would like a written answer within six weeks.",
    # -- who it is addressed to when the directory names no person ------------------------------------------------
    "addressee.complaints_department": "Attn. the complaints department",
    "addressee.complaints_coordinator": "Attn. the complaints coordinator",
}

# What the person reads beside the letter (never part of it): in their language, through the `rights` catalogue.
NOTES = {
    "keep_copy": "Keep a copy of the letter and of everything you send with it. Write down the date you sent it.",
    "copies_not_originals": "Send copies, never originals.",
    "sign": "Sign the letter by hand before you send it.",
    "own_words_dutch": "The letter is in Dutch. Your own words are in it as you wrote them. If you did not write "
                       "them in Dutch or English, the institution may ask for a translation.",
    "translation_only": "This translation is only for you, so you know what you sign. Send the Dutch letter.",
    "find_address": "We do not have a postal address for this. Look it up on their website or in their last "
                    "letter to you.",
    "address_unconfirmed": "We could not confirm this address. Please check it before you send the letter.",
    "late_awb": "This happened more than a year ago. The institution may refuse to handle your complaint. It may "
                "still do so: the letter asks for that.",
    "late_ombudsman": "The ombudsman may refuse a request made more than a year after the institution's answer.",
    "late_kifid": "Kifid usually handles a complaint only within 3 months of the final position, or within 1 "
                  "year of your first complaint to the company. Yours may be too late; you can still try.",
    "kifid_wait": "Kifid takes your complaint once you have the company's final position, or 8 weeks after your "
                  "complaint: from %(from)s.",
    "late_skgz": "SKGZ does not handle a complaint if the insurer's decision on it is more than 1 year old.",
    "police_phone": "The police also ask for your phone number. Add it if you can.",
    "police_how": "You can also use the online complaint form on politie.nl and copy this text into it. Cannot "
                  "write? Call 0900-8844 to make an appointment.",
    "how_awb": "Send it by post or hand it in. Many institutions also have a complaint form on their website: you "
               "can copy this text into it.",
    "how_financial": "Many banks and insurers have a complaint form on their website: you can copy this text into "
                     "it. Or send the letter by post; registered post gives you proof that it arrived.",
    "how_kifid": "Kifid takes complaints online (Mijn Kifid). Copy the text of this letter into the form and "
                 "upload the attachments and all your letters and e-mails with the company.",
    "how_ombudsman": "Send it by post, or use the ombudsman's online form and copy this text into it. Add the "
                     "attachments.",
    "how_care": "Give it to the care provider's complaints officer, by post or e-mail. Their help is free.",
    "how_skgz": "Send it by post or e-mail, or use the form on the SKGZ website. Add the attachments.",
    "how_own_procedure": "Send it by post or e-mail to the organisation, and keep a copy.",
    "attach_more": "Add copies of letters, e-mails, photos or notes about what happened, and number them as "
                   "attachments.",
}
