"""The organizer workspace: log-in, accounts, admin, audit, exports, invalidation."""
