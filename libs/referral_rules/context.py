"""What every planning rule needs: the facts, today's date and the directory, with small lookup helpers."""
from dataclasses import dataclass
from datetime import date

from libs.referral_rules.directory import Directory
from libs.contracts.explanations import Explanation
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.plan import PlanStep, StepDates, SupportOption


@dataclass(frozen=True)
class PlanContext:
    facts: ComplaintFacts
    today: date
    directory: Directory

    def deadline(self, channel_id: str, key: str):
        """The channel's deadline for `key`, or None when the directory has no such deadline."""
        channel = self.directory.channel(channel_id)
        return next((d for d in channel.deadlines if d.key == key), None)

    def period(self, channel_id: str, key: str):
        """The channel's period for `key` (a Period) or None when the directory has no such deadline."""
        deadline = self.deadline(channel_id, key)
        return deadline.period if deadline else None

    def after(self, channel_id: str, key: str, start: date | None) -> date | None:
        """`start` plus the channel's `key` term (calendar or working days, as the directory says)."""
        deadline = self.deadline(channel_id, key)
        return deadline.after(start) if deadline and start else None

    def has(self, channel_id: str, key: str) -> bool:
        return self.deadline(channel_id, key) is not None

    def unconfirmed(self, channel_id: str, *keys: str) -> bool:
        """True when any of these deadlines is missing or marked unconfirmed in the directory."""
        channel = self.directory.channel(channel_id)
        found = {d.key: d for d in channel.deadlines}
        return any(key not in found or not found[key].fact.confirmed for key in keys)

    def step(self, channel_id: str, why: Explanation, *, status: str, preconditions=(),
             dates: StepDates | None = None, unconfirmed: bool = False, progress: str | None = None) -> PlanStep:
        channel = self.directory.channel(channel_id)
        return PlanStep(order=0, channel_id=channel_id, channel_name=channel.name, kind=channel.kind, why=why.text,
                        preconditions=tuple(p.text for p in preconditions), status=status,
                        dates=dates or StepDates(), unconfirmed=unconfirmed, progress=progress,
                        why_message=why, precondition_messages=tuple(preconditions))

    def support(self, channel_id: str, why: Explanation) -> SupportOption:
        return SupportOption(channel_id, self.directory.channel(channel_id).name, why.text, why)
