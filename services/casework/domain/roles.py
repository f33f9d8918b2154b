"""Who may do what in the workspace.

- case handler: works cases — reads them (with their key), notes, statuses, assignment, grants to a mediator;
- coordinator: a case handler who also reads and verifies the audit log, sees every list and writes the desk's
  observations for the signal report;
- mediator: sees only the cases granted to them, reads and writes notes there; no queue, no grants;
- administrator: manages accounts (add, disable, reset a second factor); reads no case content by that role.
"""
CASE_HANDLER, COORDINATOR, MEDIATOR, ADMINISTRATOR = "case_handler", "coordinator", "mediator", "administrator"
ROLES = (CASE_HANDLER, COORDINATOR, MEDIATOR, ADMINISTRATOR)

# roles whose public keys intake seals every new case for (published in the key directory)
CASE_READERS = (CASE_HANDLER, COORDINATOR)

PERMISSIONS = {
    "see_queue": {CASE_HANDLER, COORDINATOR},
    "work_case": {CASE_HANDLER, COORDINATOR},
    "read_granted_case": {MEDIATOR},
    "grant_mediator": {CASE_HANDLER, COORDINATOR},
    "read_audit": {COORDINATOR},
    "write_signal_observations": {COORDINATOR},
    "manage_accounts": {ADMINISTRATOR},
}


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, ())
