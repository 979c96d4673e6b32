"""Conversation: follow-up questions read against the turns before them (qa.dialogue.followup)."""
