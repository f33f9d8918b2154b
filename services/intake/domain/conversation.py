"""The conversation's rules on intake's side (the message format is libs/contracts/conversation.py): how often a
person may write. A flood from one person, or from someone who stole a receipt, is bounded per case."""
MESSAGES_PER_HOUR = 20


class MessageRefused(ValueError):
    """A message that cannot be taken: empty, too_long, too_many_files, too_many_messages."""
