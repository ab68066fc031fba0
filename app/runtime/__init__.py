"""The runtime: the work that outlives a chat turn, on DBOS durable workflows and queues."""
