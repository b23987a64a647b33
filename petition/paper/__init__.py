"""Paper signatures typed in by organizers, sheet by sheet."""
