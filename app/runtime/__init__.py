"""The background runtime: durable runs, the mailbox, notifications and real-time events."""
