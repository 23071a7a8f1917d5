"""Every write with side effects in the consultations domain, one transaction each:
answering and copying surveys (`surveys`), comments (`comments`), reports (`reports`)."""
