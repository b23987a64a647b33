"""The outbox: mail queued with the change that caused it, rendered and sent later."""
